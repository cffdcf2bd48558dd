import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { locateFfmpeg } from '@tiergate/media';
import { longestStallMs, playedWithin, type PositionSample } from './stall';
import { ROOT } from './layout';
import { until } from './processes';
import { hasChromium, launchChromium } from '../../support/chromium';

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
  return hasChromium ? launchChromium({ autoplay: true }) : undefined;
}

export interface Viewer {
  readonly label: string;
  /** Longest freeze (ms) within [from, to]. */
  stallMs(from: number, to?: number): Promise<number>;
  /** Media seconds played within [from, to]. */
  played(from: number, to?: number): Promise<number>;
  /** Resolves true once the position passed `seconds` of media. */
  playing(seconds?: number, ms?: number): Promise<boolean>;
  /** The player's own errors since `from`, counted by kind ('' when none or not known). */
  errorsSince(from: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * hls.js (the console's settings) in Chromium playing `hlsUrl`. The page is served at the gateway's own origin
 * (intercepted by the browser, never sent), so the playlist and segments are same-origin as in the console.
 */
export async function openHlsJsViewer(browser: Browser, hlsUrl: string, label: string): Promise<Viewer> {
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
    errorsSince: async (from) => {
      const errors: { details: string; fatal: boolean; at: number }[] = await page.evaluate(() => (window as any).rec.errors);
      const counts = new Map<string, number>();
      for (const e of errors.filter((x) => x.at >= from)) counts.set(`${e.details}${e.fatal ? ' (fatal)' : ''}`, (counts.get(`${e.details}${e.fatal ? ' (fatal)' : ''}`) ?? 0) + 1);
      return [...counts].map(([k, n]) => `${n}× ${k}`).join(', ');
    },
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
    errorsSince: async () => '',
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

export interface PlaylistAnswer {
  at: number;
  /** HTTP status, 0 for no answer within the timeout or a refused connection. */
  status: number;
  ms: number;
  msn?: number;
  dsn?: number;
}

/**
 * Asks for the playlist every 500 ms (as a player does), recording each answer: what a viewer got while a
 * fault lasted, for the defect report. `summary(from)` counts the answers that were not 200 since `from`.
 */
export function probePlaylist(hlsUrl: string): { answers: PlaylistAnswer[]; summary(from: number): string; stop(): Promise<void> } {
  const answers: PlaylistAnswer[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const at = Date.now();
      try {
        const res = await fetch(hlsUrl, { signal: AbortSignal.timeout(4000) });
        const text = await res.text();
        const msn = /#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1];
        const dsn = /#EXT-X-DISCONTINUITY-SEQUENCE:(\d+)/.exec(text)?.[1];
        answers.push({ at, status: res.status, ms: Date.now() - at, msn: msn ? Number(msn) : undefined, dsn: dsn ? Number(dsn) : undefined });
      } catch {
        answers.push({ at, status: 0, ms: Date.now() - at });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 500 - (Date.now() - at))));
    }
  })();
  /** Where the media sequence jumped (by more than 10) or went back, or the discontinuity sequence changed. */
  const jumps = (from: number): string => {
    const ok = answers.filter((a) => a.status === 200 && a.msn !== undefined);
    const seen: string[] = [];
    for (let i = 1; i < ok.length; i++) {
      const [a, b] = [ok[i - 1]!, ok[i]!];
      if (b.at < from) continue;
      const d = b.msn! - a.msn!;
      if (d < 0 || d > 10 || a.dsn !== b.dsn) seen.push(`media sequence ${d >= 0 ? '+' : ''}${d}, discontinuity sequence ${a.dsn ?? 0}→${b.dsn ?? 0}`);
    }
    return seen.length ? ` (${seen.slice(0, 2).join('; ')})` : '';
  };
  return {
    answers,
    summary: (from) => {
      const bad = answers.filter((a) => a.at >= from && a.status !== 200);
      if (bad.length === 0) return `playlist always 200${jumps(from)}`;
      const counts = new Map<string, number>();
      for (const a of bad) counts.set(a.status === 0 ? 'no answer in 4 s' : String(a.status), (counts.get(a.status === 0 ? 'no answer in 4 s' : String(a.status)) ?? 0) + 1);
      const span = bad[bad.length - 1]!.at + bad[bad.length - 1]!.ms - bad[0]!.at;
      return `playlist ${[...counts].map(([k, n]) => `${n}× ${k}`).join(', ')} over ${(span / 1000).toFixed(1)} s${jumps(from)}`;
    },
    stop: async () => {
      on = false;
      await loop;
    },
  };
}
