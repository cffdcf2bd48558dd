// Soak of a kiosk wall (issue 15, docs/kiosk.md): a wall device enrolled through the API for a station of 24
// simulated ONVIF cameras (loopback 127.0.146.101-124), its enrolment address opened in Debian's Chromium (no login), 16
// tiles touring 2 pages every 10 s by the server's clock, and an ONVIF motion alarm fired from the simulator every
// 10 s (on for 4 s, then off; each a new alarm row, which the kiosk marks on its tile), for SOAK_MINUTES (default 30).
// Samples the page's JS heap, DOM nodes, event listeners, players playing, the alarms (fired, stored, seen by the
// kiosk) and the browser's CPU every minute at the same point of the tour, and judges flatness with the slope rule of
// bench:console-soak (bench/support/soak-trend.ts). Writes bench/results/kiosk-soak.json. Run: npm run bench:kiosk-soak
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '@tiergate/config';
import { startProcess } from '@tiergate/platform';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { soakTrend, soakVerdict, type SoakSample } from './support/soak-trend';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 60_000);
const TOUR_SECONDS = 10;
const TILES = 16;
const CAMERAS = 24;
/** One motion alarm this often, on the next camera in turn; the motion lasts ALARM_ON_MS. */
const ALARM_EVERY_MS = 10_000;
const ALARM_ON_MS = 4_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_PASSWORD = 'kiosk-soak-admin-pass';
// The kiosk test (test/console-wall-devices.int-spec.ts) has 127.0.146.1-99; the soak keeps to .101 and up, so both can run.
const FIRST_ADDRESS = '127.0.146.101';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.4, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.3, 39.9, 116.36, 39.93) },
  ],
};

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const fleet: Fleet = await startCameraFleet({ count: CAMERAS, firstAddress: FIRST_ADDRESS, password: 'sim-pass' });
  const config = loadConfig({
    env: {},
    overrides: { 'http.port': 0, dataDir: 'memory://', 'auth.adminPassword': ADMIN_PASSWORD, 'log.level': 'warn', 'demo.enabled': false, 'alarms.pullWaitSeconds': 2, 'alarms.dedupWindowSeconds': 0 },
  });
  const running = await startProcess(config, { name: 'kiosk-soak', modules: [PartitionerModule, DiscoveryModule, TranscoderModule, GatewayModule], http: true });
  let token = '';
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${running.url}${path}`, { method, headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  const samples: SoakSample[] = [];
  let fired = 0;
  let alarmTimer: NodeJS.Timeout | undefined;
  const offTimers = new Set<NodeJS.Timeout>();
  try {
    token = (await call('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).accessToken;
    await call('POST', '/api/jurisdictions/import', JSON.stringify(DISTRICT), 'application/geo+json');
    const station = (await call('GET', '/api/jurisdictions')).find((j: { code: string }) => j.code === 'ST1').id as string;
    for (const [i, cam] of fleet.cameras.entries()) {
      await call('POST', '/api/cameras', { name: `Soak cam ${String(i + 1).padStart(2, '0')}`, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, jurisdictionId: station, location: { lat: 39.905 + (i % 6) * 0.004, lon: 116.305 + Math.floor(i / 6) * 0.012 } });
    }
    // discovery subscribes to every ONVIF camera's events (PullPoint) once it is onboarded
    await until('the PullPoint subscriptions of every camera', () => fleet.cameras.every((c) => c.eventSubscriptions > 0), 60_000);
    const enrolled = await call('POST', '/api/wall-devices', { name: 'soak wall', jurisdictionId: station, monitors: 1, layout: TILES, tourSeconds: TOUR_SECONDS });
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${running.url}${enrolled.enrolmentUrl}`);
    await page.waitForSelector('#kiosk-grid');
    const kiosk = () => page.evaluate(() => (window as any).__tiergate.kiosk()) as Promise<any>;
    await until('16 tiles playing', async () => (await kiosk()).players?.filter((p: { playing: boolean }) => p.playing).length === TILES, 120_000);

    const startedIso = new Date().toISOString();
    alarmTimer = setInterval(() => {
      const cam = fleet.cameras[fired % CAMERAS]!;
      fired += 1;
      cam.triggerMotion(true);
      const off = setTimeout(() => { offTimers.delete(off); cam.triggerMotion(false); }, ALARM_ON_MS);
      offTimers.add(off);
    }, ALARM_EVERY_MS);

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
      // Same phase of the tour each time: wait for the turn to page 2, then back to page 1, let it play half the dwell
      // (before the next page is staged, so every player counted is one a tile shows), GC, measure.
      await page.waitForTimeout(Math.max(0, SAMPLE_MS - 2 * TOUR_SECONDS * 1000));
      await page.waitForFunction(() => document.querySelector('#kiosk-grid')?.getAttribute('data-page') === '1', undefined, { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('#kiosk-grid')?.getAttribute('data-page') === '0', undefined, { timeout: 60_000 });
      await page.waitForTimeout((TOUR_SECONDS / 2) * 1000);
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      const wall = (await page.evaluate(() => {
        const k = (window as any).__tiergate.kiosk();
        return {
          players: (window as any).__tiergate.activePlayers(),
          playing: k.players.filter((p: { playing: boolean }) => p.playing).length,
          videos: document.querySelectorAll('video').length,
          kioskAlarmEvents: k.alarmEvents,
          alarmingTiles: document.querySelectorAll('#kiosk-grid .tile.alarming').length,
          alarmMarks: k.alarmMarks,
          exchanges: k.exchanges,
          running: k.state === 'running' ? 1 : 0,
        };
      })) as Record<string, number>;
      const stored = ((await call('GET', `/api/alarms?from=${encodeURIComponent(startedIso)}&limit=500`)) as unknown[]).length;
      const cpu = await cpuSeconds();
      const now = Date.now();
      const cpuPct = ((cpu - lastCpu) * 1000 * 100) / (now - lastAt);
      lastCpu = cpu;
      lastAt = now;
      const sample: SoakSample = { minute: (now - started) / 60_000, jsHeapMiB: m.JSHeapUsedSize / 2 ** 20, domNodes: m.Nodes, listeners: m.JSEventListeners, browserCpuPctOfCore: cpuPct, ...wall, alarmsFired: fired, alarmsStored: stored };
      samples.push(sample);
      console.log(JSON.stringify(sample));
    }
  } finally {
    clearInterval(alarmTimer);
    for (const t of offTimers) clearTimeout(t);
    await browser.close();
    await running.stop(); // the transcoder first, so its ffmpegs do not see the cameras vanish
    await fleet.stop();
  }
  const { steady, trend } = soakTrend(samples);
  const verdict = soakVerdict(steady, trend);
  const result = {
    at: new Date().toISOString(),
    minutes: MINUTES,
    tourSeconds: TOUR_SECONDS,
    tiles: TILES,
    cameras: CAMERAS,
    alarmEverySeconds: ALARM_EVERY_MS / 1000,
    alarmOnSeconds: ALARM_ON_MS / 1000,
    browser: 'Debian Chromium, headless, software decoding',
    samples,
    trend,
    verdict,
    players: { min: Math.min(...steady.map((s) => s.playing)), max: Math.max(...steady.map((s) => s.playing)) },
    firstSteady: steady[0],
    last: steady[steady.length - 1],
  };
  mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
  writeFileSync(join(process.cwd(), 'bench', 'results', 'kiosk-soak.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify({ trend, flat: verdict.flat }));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
