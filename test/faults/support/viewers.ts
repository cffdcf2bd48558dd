import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { locateFfmpeg } from '@tiergate/media';
import { longestStallMs, playedWithin, type PositionSample } from './stall';
import { ROOT } from './layout';
import { until } from './processes';

export const CHROMIUM = '/usr/bin/chromium';

/** The console's own hls.js settings (apps/gateway/console/player.js): the player users have, as they have it. */
const CONSOLE_HLS_CONFIG = readFileSync(join(ROOT, 'apps/gateway/console/player.js'), 'utf8').match(/const HLS_CONFIG = (\{[\s\S]*?\});/)?.[1] ?? '{}';
const HLS_JS = readFileSync(require.resolve('hls.js/dist/hls.min.js'));

const PAGE = `<!doctype html><meta charset="utf-8"><title>fault viewer</title>
<script src="/__faults/hls.js"></script><body><video id="v" muted playsinline autoplay></video><script>
window.startPlayer = (url, config) => {
  const video = document.getElementById('v');
  const rec = window.rec = { samples: [], errors: [] };
  const hls = new Hls(config);
  hls.on(Hls.Events.ERROR, (_e, d) => rec.errors.push({ details: d.details, fatal: d.fatal, at: Date.now() }));
  hls.loadSource(url);
  hls.attachMedia(video);
  video.play().catch(() => undefined);
  setInterval(() => rec.samples.push({ at: Date.now(), t: video.currentTime }), 100);
};
</script>`;

export async function launchBrowser(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

export interface Viewer {
  readonly label: string;
  /** Longest freeze (ms) within [from, to]. */
  stallMs(from: number, to?: number): Promise<number>;
  /** Media seconds played within [from, to]. */
  played(from: number, to?: number): Promise<number>;
  /** Resolves true once the position passed `seconds` of media. */
  playing(seconds?: number, ms?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * hls.js (the console's settings) in Chromium playing `hlsUrl`. The page is served at the gateway's own origin
 * (intercepted by the browser, never sent), so the playlist and segments are same-origin as in the console.
 */
export async function openHlsJsViewer(browser: Browser, hlsUrl: string, label: string): Promise<Viewer & { errors(): Promise<{ details: string; fatal: boolean }[]> }> {
  const origin = new URL(hlsUrl).origin;
  const page: Page = await browser.newPage();
  await page.route(`${origin}/__faults/**`, (route) => {
    const js = route.request().url().endsWith('/hls.js');
    return route.fulfill({ status: 200, contentType: js ? 'text/javascript' : 'text/html', body: js ? HLS_JS : PAGE });
  });
  await page.goto(`${origin}/__faults/viewer.html`);
  await page.evaluate(([u, c]) => (window as any).startPlayer(u, new Function(`return (${c})`)()), [hlsUrl, CONSOLE_HLS_CONFIG] as const);
  const samples = () => page.evaluate(() => (window as any).rec.samples as PositionSample[]);
  return {
    label,
    stallMs: async (from, to = Date.now()) => longestStallMs(await samples(), from, to),
    played: async (from, to = Date.now()) => playedWithin(await samples(), from, to),
    playing: (seconds = 2, ms = 30_000) => until(async () => ((await samples()).at(-1)?.t ?? 0) > seconds, ms, 250),
    errors: () => page.evaluate(() => (window as any).rec.errors),
    close: () => page.close().catch(() => undefined),
  };
}

/** The ffmpeg used as an HLS client: Debian's when there is one (`-stats_period` needs ≥ 4.4), else the located one. */
const clientFfmpeg = (): string => (existsSync('/usr/bin/ffmpeg') ? '/usr/bin/ffmpeg' : locateFfmpeg(process.env).ffmpegPath);

/**
 * ffmpeg as an HLS client (`-re`, copied to the null muxer), its position read from `-progress` twice a second.
 * Killed (SIGKILL) on close; `children` lets the suite reap it on failure.
 */
export function openFfmpegViewer(hlsUrl: string, label: string, children: Set<ChildProcess>): Viewer {
  const child = spawn(clientFfmpeg(), ['-hide_banner', '-nostats', '-loglevel', 'error', '-re', '-i', hlsUrl, '-map', '0:v', '-c', 'copy', '-f', 'null', '-', '-progress', 'pipe:1', '-stats_period', '0.5'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.add(child);
  const samples: PositionSample[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = /^out_time_us=(\d+)/.exec(line);
    if (m) samples.push({ at: Date.now(), t: Number(m[1]) / 1e6 });
  });
  // a dead client is a frozen one: keep sampling its last position
  const tick = setInterval(() => {
    if (child.exitCode !== null || child.signalCode !== null) samples.push({ at: Date.now(), t: samples.at(-1)?.t ?? 0 });
  }, 500);
  return {
    label,
    stallMs: async (from, to = Date.now()) => longestStallMs(samples, from, to),
    played: async (from, to = Date.now()) => playedWithin(samples, from, to),
    playing: (seconds = 2, ms = 30_000) => until(() => (samples.at(-1)?.t ?? 0) > seconds, ms, 250),
    close: async () => {
      clearInterval(tick);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      children.delete(child);
    },
  };
}
