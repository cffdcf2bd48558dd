/**
 * Glass-to-glass latency and time to first frame in Debian's Chromium (issue 13).
 * Source: bench/support/stamped-source.py, a GStreamer RTSP camera whose frames carry their capture time
 * (ms since the epoch, low 32 bits + a check byte) as a row of blocks. The page reads that row off every
 * presented frame (requestVideoFrameCallback -> canvas) and takes Date.now() - stamp (one machine, one clock).
 * 1. Glass to glass, GLASS_BENCH_SECONDS (60) each, one after the other in one run, through a whole Tiergate
 *    process (gateway + worker in one, embedded database, as `npm start` without the demo):
 *    MSE (the console's LivePlayer), LL-HLS (hls.js lowLatencyMode), classic HLS (the console's LivePlayer on
 *    HLS, its hls.js settings) and the baseline: bare `ffmpeg -c copy -f hls -hls_time 1` + a static file
 *    server + hls.js defaults. MSE also gets a breakdown: capture -> worker (fragment receivedAt), worker ->
 *    browser (WebSocket message), browser (append, decode, buffer) -> shown.
 * 2. Time to first frame in the console's wall: cold (no session; 1 s GOP source joined mid-GOP), warm
 *    (session running), and a 16-tile tour page change with pre-warm (display time of each tile, screenshots
 *    through the turn for black tiles).
 * Run: `npm run bench:glass`. Writes bench/results/glass.json. Every child is reaped by PID (child-reaper.ts).
 */
import 'reflect-metadata';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { loadConfig } from '@tiergate/config';
import { locateFfmpeg } from '@tiergate/media';
import { startProcess, type RunningProcess } from '@tiergate/platform';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { TranscoderHost } from '../apps/transcoder/src/transcoder.host';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';
import { spawnTracked, stopAllTracked, stopChild, trackPid, untrackPid, waitForLine } from './support/child-reaper';
import { GLASS_PROBE } from './support/glass-probe';

const SECONDS = Number(process.env.GLASS_BENCH_SECONDS ?? 60);
const SETTLE_MS = 3000;
const COLD_SAMPLES = Number(process.env.GLASS_BENCH_COLD ?? 10);
/** The stamped source's GOP (25 frames at 25 fps, stamped-source.py). */
const SOURCE_GOP_MS = 1000;
const WARM_ROUNDS = 2;
const TOUR_TURNS = Number(process.env.GLASS_BENCH_TURNS ?? 4);
const TOUR_SECONDS = 10;
/** GLASS_BENCH_PARTS=glass,ttff,tour (default: all): which parts run. */
const PARTS = new Set((process.env.GLASS_BENCH_PARTS ?? 'glass,ttff,tour').split(','));
const CHROMIUM = '/usr/bin/chromium';
const PYTHON = '/usr/bin/python3';
const ADMIN_PASSWORD = 'glass-bench-admin-password';
const ROOT = resolve(__dirname, '..', '..');
/** GLASS_BENCH_OUT: another file name in bench/results (a run of some parts only keeps glass.json whole). */
const RESULT = join(ROOT, 'bench', 'results', process.env.GLASS_BENCH_OUT ?? 'glass.json');
const bins = locateFfmpeg(process.env);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
};
const stats = (xs: number[]) => ({ n: xs.length, p50: Math.round(pct(xs, 50)), p95: Math.round(pct(xs, 95)), max: Math.round(Math.max(...xs)) });
const log = (...a: unknown[]) => console.log('[glass]', ...a); // eslint-disable-line no-console

interface Frame { stamp: number; shownAt: number; expectedAt: number; mediaTime: number; ahead: number | null }
interface Arrival { tfdt: number; at: number; bytes: number }
interface Taken { frames: Frame[]; bad: number; arrivals: Arrival[]; quality: { total: number; dropped: number } | null }
interface WorkerFragment { tfdt: number; dur: number; at: number }

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => res(port)); });
  });
}

/** A plain static file server (the baseline's HLS directory, hls.js and an empty page). */
function staticServer(dir: string): Promise<{ server: Server; origin: string }> {
  const hlsJs = readFileSync(require.resolve('hls.js/dist/hls.min.js'));
  const types: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' };
  const server = createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/hls.min.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body style="margin:0;background:#000"><script src="/hls.min.js"></script></body></html>');
    const file = join(dir, path.replace(/^\/live\//, ''));
    if (!path.startsWith('/live/') || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

async function api(base: string, method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

// ---------------------------------------------------------------- glass to glass

/** Starts a player in the page (`start`), waits for its first stamped frame, settles, records SECONDS. */
async function measure(page: Page, name: string, start: (p: Page) => Promise<void>, stop: (p: Page) => Promise<void>): Promise<Run> {
  await page.evaluate(GLASS_PROBE);
  await page.evaluate(() => (window as any).__glass.take());
  await start(page);
  await page.waitForFunction(() => (window as any).__glass.frames.length > 0, undefined, { timeout: 30_000 });
  await sleep(SETTLE_MS);
  const settled: Taken = await page.evaluate(() => (window as any).__glass.take());
  const startedAt = Date.now();
  log(`${name}: recording ${SECONDS} s`);
  await sleep(SECONDS * 1000);
  const taken: Taken = await page.evaluate(() => (window as any).__glass.take());
  await page.evaluate(() => (window as any).__glass.stop());
  await stop(page);
  const dropped = taken.quality && settled.quality ? { decoded: taken.quality.total - settled.quality.total, dropped: taken.quality.dropped - settled.quality.dropped } : null;
  return { ...taken, startedAt, dropped };
}

type Run = Taken & { startedAt: number; dropped: { decoded: number; dropped: number } | null };

function summarize(run: Run) {
  const f = run.frames;
  const latency = f.map((x) => x.shownAt - x.stamp);
  const gaps = f.slice(1).map((x, i) => x.shownAt - f[i]!.shownAt);
  const firstTen = f.filter((x) => x.shownAt - run.startedAt < 10_000).map((x) => x.shownAt - x.stamp);
  const lastTen = f.filter((x) => x.shownAt > f.at(-1)!.shownAt - 10_000).map((x) => x.shownAt - x.stamp);
  return {
    latencyMs: stats(latency),
    meanMs: Math.round(latency.reduce((a, b) => a + b, 0) / latency.length),
    // the frame callback runs when the frame is handed to the compositor; expectedDisplayTime is its vsync
    toExpectedDisplayMs: stats(f.map((x) => x.expectedAt - x.stamp)),
    drift: { firstTenSecondsP50Ms: Math.round(pct(firstTen, 50)), lastTenSecondsP50Ms: Math.round(pct(lastTen, 50)) },
    bufferAheadMs: stats(f.filter((x) => x.ahead !== null).map((x) => x.ahead! * 1000)),
    framesPerSecond: Math.round((f.length / SECONDS) * 10) / 10,
    // getVideoPlaybackQuality over the recorded window: frames decoded and dropped by the player
    playbackQuality: run.dropped,
    undecodedFrames: run.bad,
    gapsOver200Ms: gaps.filter((g) => g > 200).length,
    longestGapMs: Math.round(Math.max(...gaps)),
  };
}

/** MSE: capture -> worker (feed receivedAt) -> browser (WebSocket message) -> shown, per frame, by decode time. */
function breakdown(run: Taken, worker: WorkerFragment[], timescale: number) {
  const byTfdt = new Map(run.arrivals.map((a) => [a.tfdt, a]));
  const parts = { captureToWorkerMs: [] as number[], fragmentFillMs: [] as number[], rtspFfmpegPipeMs: [] as number[], workerToBrowserMs: [] as number[], browserToShownMs: [] as number[] };
  for (const frame of run.frames) {
    const frag = worker.find((w) => w.tfdt / timescale <= frame.mediaTime + 0.0005 && frame.mediaTime < w.tfdt / timescale + w.dur - 0.0005);
    const arrival = frag && byTfdt.get(frag.tfdt);
    if (!frag || !arrival) continue;
    // A fragment leaves ffmpeg when it is whole: a frame waits for the frames captured after it in its fragment.
    const fill = (frag.tfdt / timescale + frag.dur - frame.mediaTime) * 1000;
    parts.captureToWorkerMs.push(frag.at - frame.stamp);
    parts.fragmentFillMs.push(fill);
    parts.rtspFfmpegPipeMs.push(frag.at - frame.stamp - fill);
    parts.workerToBrowserMs.push(arrival.at - frag.at);
    parts.browserToShownMs.push(frame.shownAt - arrival.at);
  }
  return {
    framesMatched: parts.captureToWorkerMs.length,
    ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, stats(v)])),
    fragmentBytes: stats(run.arrivals.map((a) => a.bytes)),
  };
}

// ---------------------------------------------------------------- the run

async function main(): Promise<void> {
  for (const bin of [CHROMIUM, PYTHON]) if (!existsSync(bin)) throw new Error(`bench:glass needs ${bin}`);
  const scratch = mkdtempSync(join(tmpdir(), 'glass-bench-'));
  const children: ChildProcess[] = [];
  let running: RunningProcess | undefined;
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  let files: Server | undefined;
  const load = { before: loadavg().map((x) => +x.toFixed(2)), after: [] as number[] };
  const result: Record<string, unknown> = {};
  try {
    // The camera, and one reader per stream that keeps its encoder running (a real camera does not stop
    // between viewers: Tiergate joins it mid-GOP).
    const rtspPort = await freePort();
    const source = spawnTracked('stamped-source', PYTHON, [join(ROOT, 'bench', 'support', 'stamped-source.py'), '--port', String(rtspPort)]);
    children.push(source);
    await waitForLine(source, 'ready', 10_000);
    const rtsp = (path: string) => `rtsp://127.0.0.1:${rtspPort}${path}`;
    for (const path of ['/main?keeper', '/sub?keeper']) {
      children.push(spawnTracked('keeper', bins.ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', rtsp(path), '-c', 'copy', '-f', 'null', '-']));
    }
    await sleep(1500);

    const config = loadConfig({
      env: {},
      overrides: {
        'http.port': 0,
        dataDir: join(scratch, 'data'),
        'database.url': '',
        'mqtt.url': '',
        'auth.adminPassword': ADMIN_PASSWORD,
        'auth.secretKey': 'glass-bench-secret-key-0123456789',
        'log.level': 'warn',
        'health.intervalSeconds': 3600,
        // warm samples re-open cameras a minute after their cold start: their sessions must still run
        'transcoder.idleCloseMs': 120_000,
      },
    });
    running = await startProcess(config, { name: 'glass-bench', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true });
    const base = running.url!;
    const worker = running.app.get(TranscoderHost).worker!;
    const admin = (await api(base, 'POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD })).accessToken as string;
    const addCamera = async (name: string, path: string, tags: string[]) => (await api(base, 'POST', '/api/cameras', admin, { name, rtspUrl: rtsp(path), tags })).id as string;
    // One RTSP URL: both profiles play it (the tile's `sub` is the 720p stream here).
    const glassCam = await addCamera('Glass 720p', '/main?cam=glass', ['glass']);
    const coldCams: string[] = [];
    for (let i = 0; i < COLD_SAMPLES; i++) coldCams.push(await addCamera(`TTFF ${String(i).padStart(2, '0')}`, `/sub?cam=ttff${i}`, ['ttff']));
    const tourCams: string[] = [];
    for (let i = 0; i < 32; i++) tourCams.push(await addCamera(`Tour ${String(i).padStart(2, '0')}`, `/sub?cam=tour${i}`, ['tour']));

    browserServer = await chromium.launchServer({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
    const chromiumPid = browserServer.process().pid!;
    trackPid('chromium', chromiumPid);
    browser = await chromium.connect(browserServer.wsEndpoint());
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // The wall opens after login: with a tag no camera has it starts no session (cold cameras stay cold).
    await page.goto(`${base}/`);
    await page.evaluate(() => { localStorage.setItem('tiergate.wall', JSON.stringify({ layout: 1, tag: 'no-such-tag', tourSeconds: 20 })); });
    await page.goto(`${base}/#/wall`);
    await page.fill('#login-form input[name=username]', 'admin');
    await page.fill('#login-form input[name=password]', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#header:not([hidden])');

    // ------------------------------------------------------------ 1. glass to glass
    // Start the session and follow its fragment feed in the worker (receivedAt: when the worker had each fragment).
    await api(base, 'POST', `/api/cameras/${glassCam}/live`, admin, { profile: 'sub' });
    const workerFragments: WorkerFragment[] = [];
    let timescale = 0;
    for (let i = 0; i < 200 && !worker.feedOf(glassCam, 'sub')?.init; i++) await sleep(50);
    worker.feedOf(glassCam, 'sub')!.subscribe({
      init: (init) => { timescale = init.timescale; },
      fragment: (f) => { workerFragments.push({ tfdt: f.decodeTime, dur: f.durationSec, at: f.receivedAt }); },
    });
    await sleep(3000);

    const glass: Record<string, unknown> = {};
    // Page code that imports the console's modules is a string: compiled to CommonJS, import() would become require().
    const consolePlayer = (transport: 'auto' | 'hls') => async (p: Page) => {
      await p.evaluate(`(async () => {
        const { LivePlayer } = await import('/player.js');
        const v = window.__glass.video();
        window.__glassPlayer = new LivePlayer(v, { cameraId: ${JSON.stringify(glassCam)}, profile: 'sub', transport: '${transport}' });
        window.__glass.watch(v);
      })()`);
    };
    const destroyConsolePlayer = async (p: Page) => {
      const s = await p.evaluate(() => { const pl = (window as any).__glassPlayer; const st = { ...pl.stats(), mseJumps: pl.mse?.jumps }; pl.destroy(); document.getElementById('glass-video')?.remove(); return st; });
      if (s.transport !== 'mse' && s.transport !== 'hls') throw new Error(`unexpected transport ${s.transport}`);
      return s;
    };

    if (PARTS.has('glass')) {
      const mse = await measure(page, 'MSE', consolePlayer('auto'), async (p) => { glass.msePlayer = await destroyConsolePlayer(p); });
      glass.mse = { ...summarize(mse), breakdown: breakdown(mse, workerFragments, timescale) };
      log('MSE', JSON.stringify(glass.mse));

      const llHls = (config: object) => async (p: Page) => {
        await p.evaluate(`(async () => {
          const { requestLive } = await import('/live-answers.js');
          const live = await requestLive(${JSON.stringify(glassCam)}, 'sub');
          const v = window.__glass.video();
          const hls = new window.Hls(${JSON.stringify(config)});
          window.__glassHls = hls;
          hls.loadSource(live.llHlsUrl);
          hls.attachMedia(v);
          v.play().catch(() => undefined);
          window.__glass.watch(v);
        })()`);
      };
      const destroyHls = async (p: Page) => p.evaluate(() => {
        const hls = (window as any).__glassHls;
        const out = { latencyS: hls.latency, targetLatencyS: hls.targetLatency };
        hls.destroy();
        document.getElementById('glass-video')?.remove();
        return out;
      });
      const ll = await measure(page, 'LL-HLS', llHls({ lowLatencyMode: true }), async (p) => { glass.llHlsPlayer = await destroyHls(p); });
      glass.llHls = { config: { lowLatencyMode: true }, ...summarize(ll) };
      log('LL-HLS', JSON.stringify(glass.llHls));
      const llCatchUp = { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 };
      const llc = await measure(page, 'LL-HLS catch-up', llHls(llCatchUp), async (p) => { glass.llHlsCatchUpPlayer = await destroyHls(p); });
      glass.llHlsCatchUp = { config: llCatchUp, ...summarize(llc) };
      log('LL-HLS catch-up', JSON.stringify(glass.llHlsCatchUp));

      const hls = await measure(page, 'HLS', consolePlayer('hls'), async (p) => { glass.hlsPlayer = await destroyConsolePlayer(p); });
      glass.hls = summarize(hls);
      log('HLS', JSON.stringify(glass.hls));

      // The baseline: bare ffmpeg to HLS, a static file server, hls.js defaults.
      const hlsDir = join(scratch, 'baseline');
      mkdirSync(hlsDir);
      const bare = spawnTracked('bare-ffmpeg', bins.ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', rtsp('/main?cam=baseline'),
        '-c', 'copy', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_flags', 'delete_segments', join(hlsDir, 'index.m3u8')]);
      children.push(bare);
      const statics = await staticServer(hlsDir);
      files = statics.server;
      for (let i = 0; i < 100 && !existsSync(join(hlsDir, 'index.m3u8')); i++) await sleep(100);
      const basePage = await context.newPage();
      await basePage.goto(statics.origin);
      const baseline = await measure(basePage, 'baseline', async (p) => {
        await p.evaluate(() => {
          const v = (window as any).__glass.video() as HTMLVideoElement;
          const h = new (window as any).Hls();
          (window as any).__glassHls = h;
          h.loadSource('/live/index.m3u8');
          h.attachMedia(v);
          v.play().catch(() => undefined);
          (window as any).__glass.watch(v);
        });
      }, async (p) => { glass.baselinePlayer = await destroyHls(p); });
      glass.baseline = { command: 'ffmpeg -rtsp_transport tcp -i <src> -c copy -f hls -hls_time 1 -hls_list_size 6 -hls_flags delete_segments', ...summarize(baseline) };
      log('baseline', JSON.stringify(glass.baseline));
      await basePage.close();
      await stopChild(bare);
      result.glassToGlass = glass;
    }

    // ------------------------------------------------------------ 2. time to first frame in the wall
    const wallStats = (p: Page): Promise<any[]> => p.evaluate(() => (window as any).__tiergate.wallStats() as any[]);
    if (PARTS.has('ttff')) {
      const runningBefore = coldCams.filter((c) => worker.feedOf(c, 'sub') !== undefined).length;
      // The wall opens on the TTFF cameras, one tile (its saved preferences), showing the first one.
      await page.evaluate(() => { localStorage.setItem('tiergate.wall', JSON.stringify({ layout: 1, tag: 'ttff', tourSeconds: 20 })); });
      const firstFrames: { kind: string; cameraId: string; displayMs: number; timeline: Record<string, number> }[] = [];
      /** The tile's first frame of `want` (its display time: show() -> first presented frame). */
      const shown = async (kind: string, act: () => Promise<void>) => {
        const before = (await wallStats(page))[0]?.tileCamera;
        await act();
        await page.waitForFunction((prev) => { const s = (window as any).__tiergate.wallStats()[0]; return s && s.tileCamera !== prev && s.displayMs !== null && s.cameraId === s.tileCamera; }, before, { timeout: 20_000 })
          .catch(async (e) => { throw new Error(`${kind} sample: ${e.message}; tiles: ${JSON.stringify(await wallStats(page))}; says: ${await page.textContent('#wall-grid').catch(() => '')}`); });
        const s = (await wallStats(page))[0];
        firstFrames.push({ kind, cameraId: s.tileCamera, displayMs: s.displayMs, timeline: { ...s.timeline, firstFrame: s.firstFrameMs } });
        // A pause of 0.7 s plus a random part of one GOP (the source's 1 s): with a fixed pause every click met the
        // GOP at the same phase, the one just after a keyframe (the previous sample ended at a keyframe plus a
        // constant), so each cold start waited nearly a whole GOP. Users click at any phase.
        await sleep(700 + Math.random() * SOURCE_GOP_MS);
      };
      await shown('cold', async () => { await page.evaluate(() => { location.hash = '#/wall?layout=1'; }); await page.waitForSelector('#screen-wall'); });
      for (let i = 1; i < COLD_SAMPLES; i++) await shown('cold', () => page.click('#wall-next'));
      for (let i = 0; i < COLD_SAMPLES * WARM_ROUNDS; i++) await shown('warm', () => page.click('#wall-next'));
      const ttff = (kind: string) => {
        const xs = firstFrames.filter((f) => f.kind === kind);
        const steps = ['answer', 'socketOpen', 'init', 'firstFragment', 'firstFrame'];
        return {
          displayMs: stats(xs.map((x) => x.displayMs)),
          // ms after the player was made (at the click): POST /live answered, WebSocket open, init, first fragment, first frame
          stepsP50Ms: Object.fromEntries(steps.map((k) => [k, Math.round(pct(xs.map((x) => x.timeline[k]!).filter(Number.isFinite), 50))])),
          samples: xs.map((x) => ({ displayMs: x.displayMs, ...x.timeline })),
        };
      };
      result.firstFrame = { coldSessionsRunningBefore: runningBefore, cold: ttff('cold'), warm: ttff('warm') };
      log('first frame', JSON.stringify({ cold: (result.firstFrame as any).cold.displayMs, warm: (result.firstFrame as any).warm.displayMs }));
    }

    if (PARTS.has('tour')) {
      // The tour: 16 tiles, 2 pages of the 32 tour cameras, next page staged 3 s before each turn.
      await page.selectOption('#wall-layout', '16');
      await page.fill('#wall-tag', 'tour');
      await page.dispatchEvent('#wall-tag', 'change');
      await page.waitForFunction(() => { const s = (window as any).__tiergate.wallStats(); return s.length === 16 && s.every((t: any) => t.state === 'live' && t.cameraId === t.tileCamera && t.presentedFrames > 2); }, undefined, { timeout: 90_000 });
      await page.fill('#wall-tour-seconds', String(TOUR_SECONDS));
      await page.dispatchEvent('#wall-tour-seconds', 'change');
      await page.check('#wall-tour');
      let nextTurnAt = Date.now() + TOUR_SECONDS * 1000;
      const turns: { page: string; displayMs: number[]; blackTiles: number; screenshots: number; transports: string[] }[] = [];
      for (let t = 0; t < TOUR_TURNS; t++) {
        const label = await page.textContent('#wall-page');
        // screenshots from 1.5 s before the turn until every tile of the new page has shown its camera
        await sleep(Math.max(0, nextTurnAt - 1500 - Date.now()));
        let black = 0;
        let shots = 0;
        let turnedAt = 0;
        for (;;) {
          const shot = await page.screenshot();
          shots += 1;
          black += (await blackTiles(page, shot)).filter(Boolean).length;
          const now = await page.textContent('#wall-page');
          if (now !== label && !turnedAt) { turnedAt = Date.now(); nextTurnAt = turnedAt + TOUR_SECONDS * 1000; }
          const s = await wallStats(page);
          if (turnedAt && ((s.length === 16 && s.every((x) => x.displayMs !== null)) || Date.now() - turnedAt > 5000) && Date.now() - turnedAt > 1000) break;
        }
        const s = await wallStats(page);
        turns.push({ page: (await page.textContent('#wall-page')) ?? '', displayMs: s.map((x) => x.displayMs), blackTiles: black, screenshots: shots, transports: [...new Set(s.map((x) => x.transport))] });
        log('tour turn', JSON.stringify(turns.at(-1)));
      }
      await page.uncheck('#wall-tour');
      const tourMs = turns.flatMap((t) => t.displayMs.map((x) => (x === null ? Infinity : x)));
      result.tour = {
        tiles: 16,
        dwellSeconds: TOUR_SECONDS,
        prewarmLeadMs: 3000,
        displayMs: stats(tourMs),
        within300Ms: `${tourMs.filter((x) => x <= 300).length}/${tourMs.length}`,
        blackTilesInScreenshots: turns.reduce((a, t) => a + t.blackTiles, 0),
        screenshots: turns.reduce((a, t) => a + t.screenshots, 0),
        turns,
      };
      log('tour', JSON.stringify({ displayMs: (result.tour as any).displayMs, black: (result.tour as any).blackTilesInScreenshots }));
    }
    result.pageErrors = pageErrors;
    untrackPid(chromiumPid);
    load.after = loadavg().map((x) => +x.toFixed(2));
    result.machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverage: load };
    result.versions = {
      chromium: browser.version(),
      hlsJs: JSON.parse(readFileSync(require.resolve('hls.js/package.json'), 'utf8')).version,
      ffmpeg: execFileSync(bins.ffmpegPath, ['-version']).toString().split('\n')[0],
    };
    result.setup = {
      source: 'bench/support/stamped-source.py: GStreamer RTSP server, appsrc frames stamped with time.time() at push, x264enc tune=zerolatency ultrafast, 25 fps, 1 s GOP, no B-frames; /main 1280x720 2 Mbit/s (glass), /sub 640x360 600 kbit/s (tiles)',
      tiergate: 'gateway + worker + partitioner in one process (startProcess, as npm start without the demo), embedded PGlite, in-process broker, transcoder.fragmentDurationMs 200 (default), idleCloseMs 120000',
      secondsPerMode: SECONDS,
      settleMsBeforeRecording: SETTLE_MS,
      latency: 'Date.now() in requestVideoFrameCallback minus the capture stamp read off that frame (same machine clock)',
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(RESULT, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${RESULT}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await browserServer?.close().catch(() => undefined);
    await new Promise<void>((r) => (files ? files.close(() => r()) : r()));
    await running?.stop().catch((e) => log('stop failed', e));
    for (const c of children.reverse()) await stopChild(c).catch(() => undefined);
    await stopAllTracked();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Whether each wall tile of a screenshot is uniformly black (decoded in the page, as test/console-live.int-spec.ts). */
async function blackTiles(page: Page, shot: Buffer): Promise<boolean[]> {
  return page.evaluate(async (b64) => {
    const el = new Image();
    el.src = `data:image/png;base64,${b64}`;
    await el.decode();
    const img = await createImageBitmap(el);
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const scale = img.width / window.innerWidth;
    return [...document.querySelectorAll('#wall-grid .tile[data-camera-id]')].map((tile) => {
      const r = tile.getBoundingClientRect();
      const data = ctx.getImageData(Math.round(r.x * scale) + 2, Math.round(r.y * scale) + 2, Math.max(1, Math.round(r.width * scale) - 4), Math.max(1, Math.round((r.height - 24) * scale))).data;
      let max = 0;
      for (let i = 0; i < data.length; i += 4) max = Math.max(max, data[i]!, data[i + 1]!, data[i + 2]!);
      return max < 24;
    });
  }, shot.toString('base64'));
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { void stopAllTracked(500).finally(() => process.exit(130)); });
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exitCode = 1; void stopAllTracked(500).finally(() => process.exit(1)); }); // eslint-disable-line no-console
