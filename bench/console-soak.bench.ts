// Soak of the station wall: npm start's demo, a 16-tile wall touring its pages every 10 s, in Debian's
// Chromium, for SOAK_MINUTES (default 30). Samples the page's JS heap, DOM nodes, event listeners,
// live players and the browser's CPU every minute, and says whether they stayed flat.
// Writes bench/results/console-soak.json. Run: npm run bench:console-soak
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '@tiergate/config';
import { startProcess } from '@tiergate/platform';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { loadDemo } from '../apps/all-in-one/src/demo/demo.loader';
import { soakTrend, soakVerdict, type SoakSample } from './support/soak-trend';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 60_000);
const TOUR_SECONDS = 10;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const config = loadConfig({ env: {}, overrides: { 'http.port': 0, dataDir: 'memory://', 'auth.adminPassword': 'soak-admin-pass', 'log.level': 'warn', 'demo.enabled': true, 'demo.cameras': 24 } });
  const running = await startProcess(config, { name: 'soak', modules: [PartitionerModule, DiscoveryModule, TranscoderModule, GatewayModule], http: true });
  const stopDemo = await loadDemo(running, 24);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  const samples: SoakSample[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${running.url}/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'soak-admin-pass');
    await page.click('#login-form button');
    await page.waitForSelector('#wall-layout');
    await page.selectOption('#wall-layout', '16');
    await page.fill('#wall-tour-seconds', String(TOUR_SECONDS));
    await page.dispatchEvent('#wall-tour-seconds', 'change');
    await page.check('#wall-tour');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    // CPU of every Chromium process (browser, renderer, GPU, utility), as Chromium itself reports it.
    const browserCdp = await browser.newBrowserCDPSession();
    const cpuSeconds = async () => {
      const info = (await browserCdp.send('SystemInfo.getProcessInfo')) as { processInfo: { cpuTime: number }[] };
      return info.processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
    };
    const started = Date.now();
    let lastCpu = await cpuSeconds();
    let lastAt = Date.now();
    while (Date.now() - started < MINUTES * 60_000) {
      // Same phase of the tour each time: wait for the turn to page 1, let it play, collect garbage, measure.
      await page.waitForTimeout(Math.max(0, SAMPLE_MS - 2 * TOUR_SECONDS * 1000));
      await page.waitForFunction(() => document.querySelector('#wall-page')?.textContent?.startsWith('page 2'), undefined, { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('#wall-page')?.textContent?.startsWith('page 1'), undefined, { timeout: 60_000 });
      await page.waitForTimeout((TOUR_SECONDS - 2) * 1000);
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      const wall = (await page.evaluate(() => ({ players: (window as any).__tiergate.activePlayers(), playing: (window as any).__tiergate.wallStats().filter((t: any) => t.playing).length, videos: document.querySelectorAll('video').length }))) as Record<string, number>;
      const cpu = await cpuSeconds();
      const now = Date.now();
      const cpuPct = ((cpu - lastCpu) * 1000 * 100) / (now - lastAt);
      lastCpu = cpu;
      lastAt = now;
      const sample = { minute: (now - started) / 60_000, jsHeapMiB: m.JSHeapUsedSize / 2 ** 20, domNodes: m.Nodes, listeners: m.JSEventListeners, browserCpuPctOfCore: cpuPct, ...wall };
      samples.push(sample);
      console.log(JSON.stringify(sample));
    }
  } finally {
    await browser.close();
    await running.stop(); // the transcoder first, so its ffmpegs do not see the cameras vanish
    await stopDemo();
  }
  const { steady, trend } = soakTrend(samples); // after the first pages warmed up
  const first = steady[0];
  const last = steady[steady.length - 1];
  const result = {
    at: new Date().toISOString(),
    minutes: MINUTES,
    tourSeconds: TOUR_SECONDS,
    tiles: 16,
    cameras: 24,
    browser: 'Debian Chromium, headless, software decoding',
    samples,
    trend,
    verdict: soakVerdict(steady, trend),
    firstSteady: first,
    last,
  };
  mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
  writeFileSync(join(process.cwd(), 'bench', 'results', 'console-soak.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result.trend));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
