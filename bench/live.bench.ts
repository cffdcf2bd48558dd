/**
 * Live-video benchmark: 1, 10 and 30 concurrent simulated 720p25 cameras (2 Mbit/s, 1 s GOP).
 * - sessions: TranscoderWorker + FfmpegProcessAdapter (watchdog wrapper, tuned probing, -c copy -> HLS):
 *   time from ensure() to a playable playlist (p50/p95), CPU per session (from /proc/<pid>/stat over a
 *   sampling window) and RSS / anonymous RSS per ffmpeg;
 * - bare: plain `ffmpeg -rtsp_transport tcp -i URL -c copy -f hls` on the same sources (overhead ratio);
 * - node-rtsp-stream: its MPEG-1 over WebSocket transcode (streams per core ratio), for a few streams only.
 * Run: `npm run build && node dist/bench/live.bench.js`. Writes bench/results/live.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FfmpegProcessAdapter, locateFfmpeg, probeFfmpeg, type FfmpegArgFeatures } from '@tiergate/media';
import { startCameraFleet, type Fleet } from '../apps/camera-sim/src/fleet';
import { SystemClock } from '../apps/transcoder/src/clock';
import { chooseHlsRoot, HlsOutputStore } from '../apps/transcoder/src/hls-output.store';
import { TranscoderWorker } from '../apps/transcoder/src/transcoder.worker';

const COUNTS = (process.env.LIVE_BENCH_COUNTS ?? '1,10,30').split(',').map(Number);
const SAMPLE_MS = Number(process.env.LIVE_BENCH_SAMPLE_MS ?? 8000);
const NRS_STREAMS = Number(process.env.LIVE_BENCH_NRS_STREAMS ?? 2);
const ROUNDS = Number(process.env.LIVE_BENCH_ROUNDS ?? 10);
/** LIVE_BENCH_GOP_CACHE=1: cameras that start a new RTSP session at their current GOP (results in live.gop-cache.json). */
const GOP_CACHE = process.env.LIVE_BENCH_GOP_CACHE === '1';
const RESULT_FILE = GOP_CACHE ? 'live.gop-cache.json' : 'live.json';
const CLK_TCK = 100; // Linux USER_HZ
const bins = locateFfmpeg(process.env);
/** Probed once in main(): the arguments follow the ffmpeg the bench runs. */
let ffmpegFeatures: FfmpegArgFeatures;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function cpuTicks(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
  } catch {
    return NaN;
  }
}
function memKiB(pid: number): { rss: number; anon: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
    return { rss: get('VmRSS'), anon: get('RssAnon') };
  } catch {
    return { rss: NaN, anon: NaN };
  }
}
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** CPU % of one core and memory for each pid over SAMPLE_MS. */
async function sample(pids: number[]): Promise<{ cpuPct: number[]; rssMiB: number[]; anonMiB: number[] }> {
  const before = pids.map(cpuTicks);
  const t0 = Date.now();
  await sleep(SAMPLE_MS);
  const secs = (Date.now() - t0) / 1000;
  const after = pids.map(cpuTicks);
  const mem = pids.map(memKiB);
  return {
    cpuPct: pids.map((_, i) => ((after[i]! - before[i]!) / CLK_TCK / secs) * 100).filter(Number.isFinite),
    rssMiB: mem.map((m) => m.rss / 1024).filter(Number.isFinite),
    anonMiB: mem.map((m) => m.anon / 1024).filter(Number.isFinite),
  };
}

function summary(startMs: number[], s: { cpuPct: number[]; rssMiB: number[]; anonMiB: number[] }, failed: number) {
  return {
    started: startMs.length,
    failed,
    timeToPlaylistMs: { p50: Math.round(pct(startMs, 50)), p95: Math.round(pct(startMs, 95)), min: Math.round(Math.min(...startMs)), max: Math.round(Math.max(...startMs)) },
    cpuPctOfCorePerStream: { mean: round(mean(s.cpuPct), 2), p95: round(pct(s.cpuPct, 95), 2) },
    rssMiBPerStream: round(mean(s.rssMiB)),
    anonRssMiBPerStream: round(mean(s.anonMiB)),
  };
}

const withCreds = (url: string): string => {
  const u = new URL(url);
  u.username = 'admin';
  u.password = 'sim-pass'; // the simulated fleet's default credentials
  return u.toString();
};

async function benchSessions(fleet: Fleet, n: number, round = 0, measure = true) {
  const adapter = new FfmpegProcessAdapter({ ffmpegPath: bins.ffmpegPath, graceMs: 2000 });
  const store = new HlsOutputStore(chooseHlsRoot(`bench-${process.pid}`));
  const worker = new TranscoderWorker({
    workerId: 'bench', baseUrl: 'http://127.0.0.1', capacity: 1000, clock: new SystemClock(), spawner: adapter, output: store, ffmpeg: ffmpegFeatures,
    publish: () => undefined, session: { idleTimeoutMs: 600_000, startTimeoutMs: 15_000 },
  });
  try {
    const startMs: number[] = [];
    let failed = 0;
    await Promise.all(fleet.cameras.slice(0, n).map(async (cam, i) => {
      await sleep(Math.random() * 1000); // random phase against the camera's 1 s GOP (its pacer runs, see keepers)
      const t0 = performance.now();
      const reply = await worker.ensure({ cameraId: `cam${i}-r${round}`, profile: 'main', sourceUrl: withCreds(cam.mainRtspUrl) });
      if (reply.ok) startMs.push(performance.now() - t0);
      else failed++;
    }));
    // the adapter's children are watchdog wrappers; ffmpeg is each wrapper's only child
    const ffmpegPids = sessionPids(adapter);
    return summary(startMs, measure ? await sample(ffmpegPids) : { cpuPct: [], rssMiB: [], anonMiB: [] }, failed);
  } finally {
    await worker.stopAll();
    await adapter.stopAll();
    await store.removeAll();
  }
}

function sessionPids(adapter: FfmpegProcessAdapter): number[] {
  // each wrapper has two children: ffmpeg and the sh subshell watching stdin; measure ffmpeg only
  return adapter.pids().flatMap((w) => childrenOf(w)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ffmpeg';
    } catch {
      return false;
    }
  });
}

async function benchBare(fleet: Fleet, n: number) {
  const root = join(tmpdir(), `live-bench-bare-${process.pid}`);
  const children: ChildProcess[] = [];
  try {
    const startMs: number[] = [];
    let failed = 0;
    await Promise.all(fleet.cameras.slice(0, n).map(async (cam, i) => {
      const dir = join('/dev/shm', `live-bench-bare-${process.pid}`, String(i));
      mkdirSync(dir, { recursive: true });
      await sleep(Math.random() * 1000);
      const t0 = performance.now();
      const child = spawn(bins.ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', withCreds(cam.mainRtspUrl),
        '-c', 'copy', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_flags', 'delete_segments', join(dir, 'index.m3u8')], { stdio: 'ignore' });
      children.push(child);
      while (performance.now() - t0 < 15_000) {
        try {
          if (readFileSync(join(dir, 'index.m3u8'), 'utf8').includes('#EXTINF')) return void startMs.push(performance.now() - t0);
        } catch {
          /* not yet */
        }
        await sleep(20);
      }
      failed++;
    }));
    return summary(startMs, await sample(children.map((c) => c.pid!)), failed);
  } finally {
    await stopAllChildren(children);
    rmSync(join('/dev/shm', `live-bench-bare-${process.pid}`), { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchNodeRtspStream(fleet: Fleet, n: number) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Stream = require('node-rtsp-stream') as new (o: Record<string, unknown>) => { stream: ChildProcess; stop(): void };
  const streams: { stream: ChildProcess; stop(): void }[] = [];
  try {
    for (let i = 0; i < n; i++) {
      streams.push(new Stream({
        name: `cam${i}`, streamUrl: withCreds(fleet.cameras[i]!.mainRtspUrl), wsPort: 49_100 + i, width: 1280, height: 720,
        ffmpegPath: bins.ffmpegPath, ffmpegOptions: { '-loglevel': 'error', '-r': 25 },
      }));
    }
    await sleep(3000); // let the transcodes reach steady state
    const s = await sample(streams.map((x) => x.stream.pid!));
    const cpu = mean(s.cpuPct);
    return { streams: n, cpuPctOfCorePerStream: round(cpu, 1), rssMiBPerStream: round(mean(s.rssMiB)), streamsPerCore: round(100 / cpu, 1) };
  } finally {
    for (const x of streams) {
      const exited = new Promise<void>((r) => (x.stream.exitCode !== null ? r() : x.stream.once('exit', () => r())));
      x.stop();
      await exited;
    }
  }
}

/**
 * One plain RTSP client per camera kept connected for the whole run, started at random moments: the
 * simulator's pacer runs only while someone listens and hands a new client the NEXT keyframe, so without
 * keepers every start would see the same GOP phase. With them, starts land at uniformly random phases.
 */
async function startKeepers(fleet: Fleet, n: number): Promise<ChildProcess[]> {
  const keepers: ChildProcess[] = [];
  for (const cam of fleet.cameras.slice(0, n)) {
    keepers.push(spawn(bins.ffmpegPath, ['-nostdin', '-loglevel', 'quiet', '-rtsp_transport', 'tcp', '-i', withCreds(cam.mainRtspUrl), '-c', 'copy', '-f', 'null', '-'], { stdio: 'ignore' }));
    await sleep(Math.random() * 100);
  }
  await sleep(1500);
  return keepers;
}

async function stopAllChildren(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : (c.once('exit', () => r()), c.kill('SIGTERM'))))));
}

async function main(): Promise<void> {
  ffmpegFeatures = (await probeFfmpeg(bins.ffmpegPath)).features;
  const max = Math.max(...COUNTS, NRS_STREAMS);
  console.log(`live bench: ${COUNTS.join('/')} cameras, sample ${SAMPLE_MS} ms, ffmpeg ${bins.ffmpegPath}`);
  const fleet = await startCameraFleet({ count: max, firstAddress: '127.0.5.1', onvifPort: 48080, rtspPort: 48554, discoveryPort: 43702, labelPerCamera: false });
  if (GOP_CACHE) for (const cam of fleet.cameras) await cam.setQuirks({ gopCache: true });
  const results: Record<string, unknown>[] = [];
  let nodeRtspStream: unknown;
  const keepers = await startKeepers(fleet, Math.max(...COUNTS));
  let singleStarts: number[] = [];
  try {
    // a distribution for one camera: ROUNDS sequential cold starts at random GOP phases
    for (let r = 0; r < ROUNDS; r++) {
      const one = await benchSessions(fleet, 1, 100 + r, false);
      singleStarts.push(one.timeToPlaylistMs.p50);
    }
    singleStarts = singleStarts.sort((a, b) => a - b);
    console.log(`single-camera cold starts (ms): ${singleStarts.join(', ')}`);
    for (const n of COUNTS) {
      const sessions = await benchSessions(fleet, n);
      console.log(`sessions n=${n}`, JSON.stringify(sessions));
      await sleep(1000);
      const bare = await benchBare(fleet, n);
      console.log(`bare     n=${n}`, JSON.stringify(bare));
      results.push({
        cameras: n, sessions, bare,
        cpuOverheadRatio: round(sessions.cpuPctOfCorePerStream.mean / bare.cpuPctOfCorePerStream.mean, 2),
        rssRatio: round(sessions.rssMiBPerStream / bare.rssMiBPerStream, 2),
      });
      await sleep(1000);
    }
    if (NRS_STREAMS > 0) {
      nodeRtspStream = await benchNodeRtspStream(fleet, NRS_STREAMS);
      console.log('node-rtsp-stream', JSON.stringify(nodeRtspStream));
    }
  } finally {
    await stopAllChildren(keepers);
    await fleet.stop();
  }
  const ours = results.find((r) => r.cameras === Math.max(...COUNTS)) as { sessions: { cpuPctOfCorePerStream: { mean: number } } } | undefined;
  const oursPerCore = ours ? round(100 / ours.sessions.cpuPctOfCorePerStream.mean, 0) : NaN;
  const nrs = nodeRtspStream as { streamsPerCore: number } | undefined;
  const out = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, ffmpeg: bins.ffmpegPath },
    source: '720p25 H.264 2 Mbit/s, 1 s GOP, simulated RTSP camera (apps/camera-sim), RTSP over TCP',
    sampleMs: SAMPLE_MS,
    singleCameraColdStartsMs: { runs: singleStarts, p50: Math.round(pct(singleStarts, 50)), p95: Math.round(pct(singleStarts, 95)) },
    results,
    nodeRtspStream,
    streamsPerCore: { tiergateSessions: oursPerCore, nodeRtspStream: nrs?.streamsPerCore, ratio: nrs ? round(oursPerCore / nrs.streamsPerCore, 0) : undefined },
    notes: [
      'timeToPlaylistMs: from ensure()/spawn to a playlist listing its first complete segment; each start waits a random 0-1 s first so it meets the 1 s GOP at a random phase (keeper clients keep the simulator pacers running)',
      'floor of time to playlist = connect/probe (~0.15 s) + wait for the next keyframe (0-1 s) + one GOP (1 s): a camera that sends an IDR on PLAY starts in ~1.2 s',
      'CPU is ffmpeg only (the sh watchdog wrapper sleeps in wait); % of one core',
      'anonRssMiB is the unshared part; the static binary pages are shared between processes',
    ],
  };
  const dir = resolve(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RESULT_FILE), JSON.stringify({ cameras: GOP_CACHE ? 'start at the current GOP (gopCache quirk)' : 'start at the next keyframe', ...out }, null, 2) + '\n');
  console.log(`wrote ${join(dir, RESULT_FILE)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
