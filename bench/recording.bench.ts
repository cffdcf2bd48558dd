/**
 * Recording benchmark (issue 14). Cameras are a camera-sim child process (sub streams: 640x360 25 fps 500 kbit/s,
 * 1 s GOP), so its CPU is not counted as ours.
 * 1. Cost per recorded stream, same run: Tiergate (one worker process: the session's ffmpeg with its HLS and
 *    fMP4 outputs, the recorder writing 4 s segments with fsync, index rows, the embedded database and broker)
 *    against bare `ffmpeg -rtsp_transport tcp -i <src> -c copy -f segment -segment_time 4 …` writing the same
 *    segments; CPU (% of one core) and RSS per stream, and the ratios.
 * 2. N garage cameras recorded continuously (RECORDING_BENCH_COUNTS, default 50,100,200; it stops at a step where
 *    not every stream reached `recording`): CPU of the worker and its ffmpegs, disk write rate, machine idle.
 * 3. Retention pruning of a day of 200 cameras: 200 × 21,600 index rows (4 s segments) and as many empty files;
 *    the whole day pruned at once (a worker back after a day), and one minute's worth (the steady state).
 *    Postgres when DATABASE_URL (or 127.0.0.1:5432) answers, else the embedded database with fewer rows.
 * Run: `npm run bench:recording`. Writes bench/results/recording.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@tiergate/config';
import { RecordingTopics, type RecordingPlanMessage } from '@tiergate/contracts';
import { locateFfmpeg } from '@tiergate/media';
import { CameraEntity, createScratchDatabase, RecordingsRepository } from '@tiergate/persistence';
import { startProcess, type RunningProcess } from '@tiergate/platform';
import { SecretBox } from '@tiergate/access';
import { NodeRecordingFs } from '../apps/transcoder/src/recording/recording-fs';
import { RecordingPruner } from '../apps/transcoder/src/recording/recording-pruner';
import { RecordingStorage } from '../apps/transcoder/src/recording/recording-storage';
import { TranscoderHost } from '../apps/transcoder/src/transcoder.host';
import { TranscoderModule } from '../apps/transcoder/src/transcoder.module';

const COST_STREAMS = Number(process.env.RECORDING_BENCH_COST_STREAMS ?? 10);
const COUNTS = (process.env.RECORDING_BENCH_COUNTS ?? '50,100,200').split(',').map(Number).filter((n) => n > 0);
const SAMPLE_MS = Number(process.env.RECORDING_BENCH_SAMPLE_MS ?? 20_000);
const PRUNE_CAMERAS = Number(process.env.RECORDING_BENCH_PRUNE_CAMERAS ?? 200);
const PRUNE_HOURS = Number(process.env.RECORDING_BENCH_PRUNE_HOURS ?? 24);
/** Which parts to run (all by default): cost, scale, prune. */
const PARTS = new Set((process.env.RECORDING_BENCH_PARTS ?? 'cost,scale,prune').split(','));
const CLK_TCK = 100;
const NET = '127.0.91';
const bins = locateFfmpeg(process.env);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const treeOf = (pid: number): number[] => [pid, ...childrenOf(pid).flatMap(treeOf)];
function cpuTicks(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}
function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
/** Idle and total jiffies of the machine. */
function machine(): { idle: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3]! + f[4]!, total: f.reduce((a, b) => a + b, 0) };
}
function dirBytes(dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else n += statSync(join(d, e.name), { throwIfNoEntry: false })?.size ?? 0;
    }
  };
  walk(dir);
  return n;
}

/** CPU (% of one core) of the given process trees, the machine's idle share and a byte counter's rate over SAMPLE_MS. */
async function sample(pids: () => number[], bytes: () => number, exclude: ReadonlySet<number> = new Set()) {
  const listed = () => pids().filter((p) => !exclude.has(p));
  const p0 = listed();
  const t0 = new Map(p0.map((p) => [p, cpuTicks(p)]));
  const m0 = machine();
  const b0 = bytes();
  const start = Date.now();
  await sleep(SAMPLE_MS);
  const secs = (Date.now() - start) / 1000;
  const p1 = listed();
  let ticks = 0;
  for (const p of p1) if (t0.has(p)) ticks += cpuTicks(p) - t0.get(p)!;
  const m1 = machine();
  const rss = p1.reduce((n, p) => n + rssKiB(p), 0) / 1024;
  return { cpuPctOfCore: (ticks / CLK_TCK / secs) * 100, rssMiB: rss, idlePct: ((m1.idle - m0.idle) / (m1.total - m0.total)) * 100, bytesPerSecond: (bytes() - b0) / secs, processes: p1.length };
}

/** The simulator's credentials (apps/camera-sim defaults), put into a URL only as an argv entry of the anchor's ffmpeg. */
const SIM_USER = 'admin';
const SIM_PASSWORD = 'sim-pass';
function withSimCredentials(url: string): string {
  const u = new URL(url);
  u.username = SIM_USER;
  u.password = SIM_PASSWORD;
  return u.toString();
}

async function startSim(count: number): Promise<{ child: ChildProcess; urls: string[] }> {
  const child = spawn(process.execPath, [resolve(__dirname, '..', 'apps', 'camera-sim', 'src', 'main.js')], {
    env: { ...process.env, SIM_CAMERAS: String(count), SIM_FIRST_ADDRESS: `${NET}.1`, SIM_RTSP_PORT: '39954', SIM_ONVIF_PORT: '39980', SIM_DISCOVERY_PORT: '39902', SIM_LABEL_PER_CAMERA: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls: string[] = [];
  let out = '';
  await new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/cameras up/.test(out)) ok();
    });
    child.once('exit', (c) => fail(new Error(`camera-sim exited ${c}`)));
  });
  for (const line of out.split('\n')) {
    const sub = line.split('\t')[3];
    if (sub?.startsWith('rtsp://')) urls.push(sub);
  }
  return { child, urls };
}

/** One Tiergate worker process (this one) recording `urls` continuously into `root`. */
async function startWorker(root: string): Promise<RunningProcess> {
  const config = loadConfig({
    env: {},
    overrides: {
      'http.port': 0, dataDir: 'memory://', 'database.url': '', 'mqtt.url': '', 'auth.secretKey': 'recording-bench-secret-key', 'log.level': 'warn',
      'transcoder.capacity': 1000, 'recording.roots': JSON.stringify([{ id: 'r0', path: root, quotaBytes: 500 * 2 ** 30 }]), 'recording.minFreeBytes': 0,
    },
  });
  return startProcess(config, { name: 'recording-bench', modules: [TranscoderModule], http: false });
}

async function record(running: RunningProcess, urls: readonly string[], version: number): Promise<string[]> {
  const workerId = running.app.get(TranscoderHost).workerId;
  const repo = running.infra.database.dataSource.getRepository(CameraEntity);
  const ids: string[] = [];
  // Stored as the product stores a camera: the URL without credentials, the password sealed (never in a URL at rest).
  const passwordSealed = running.app.get(SecretBox, { strict: false }).seal(SIM_PASSWORD);
  for (const rtspUrl of urls) {
    const id = randomUUID();
    await repo.insert({ id, name: `garage ${ids.length}`, lon: 123.4, lat: 41.7, jurisdictionId: null, tags: ['garage'], profiles: [], rtspUrl, username: SIM_USER, passwordSealed });
    ids.push(id);
  }
  const plan: RecordingPlanMessage = { version, compiledAt: new Date().toISOString(), compiledBy: 'bench', entries: ids.map((cameraId) => ({ cameraId, profile: 'sub', mode: 'continuous', retentionDays: 1, workerId, ruleIds: ['garage'] })) };
  await running.infra.bus.publish(RecordingTopics.plan, plan, { retain: true });
  return ids;
}

async function untilRecording(running: RunningProcess, n: number, ms: number): Promise<number> {
  const manager = running.app.get(TranscoderHost).recordingManager!;
  const end = Date.now() + ms;
  for (;;) {
    const recording = manager.states().filter((s) => s.state === 'recording').length;
    if (recording >= n || Date.now() > end) return recording;
    await sleep(500);
  }
}

/** Bytes indexed by the worker so far (its segments as written). */
const indexedBytes = (running: RunningProcess) => async () => {
  const [row] = await running.infra.database.dataSource.query(`SELECT COALESCE(sum(bytes), 0)::float8 AS b FROM recording_segments`);
  return Number(row.b);
};

async function tiergate(sim: { child: ChildProcess; urls: string[] }, n: number, idle: { cpu: number; rss: number }) {
  const root = mkdtempSync(join(tmpdir(), 'rec-bench-tg-'));
  const running = await startWorker(root);
  try {
    await sleep(3000);
    const base = await sample(() => [process.pid], () => 0);
    await record(running, sim.urls.slice(0, n), 1);
    const recording = await untilRecording(running, n, 60_000);
    await sleep(6000); // every recorder past its first segment
    let written = 0;
    const bytes = indexedBytes(running);
    const poll = setInterval(() => void bytes().then((b) => (written = b)), 1000);
    written = await bytes();
    const s = await sample(() => treeOf(process.pid), () => written, new Set(treeOf(sim.child.pid!)));
    clearInterval(poll);
    // this process's own share at rest (before any worker) is not the recording's; the worker's share without
    // streams (Nest, the embedded database and broker) is reported apart: marginal = with streams − without
    const without = { cpuPctOfCore: Math.max(0, base.cpuPctOfCore - idle.cpu), rssMiB: base.rssMiB - idle.rss }; // below rest is noise
    return {
      streams: n, recording, ...s,
      cpuPctOfCore: s.cpuPctOfCore - idle.cpu, rssMiB: s.rssMiB - idle.rss,
      marginalCpuPctOfCore: s.cpuPctOfCore - idle.cpu - without.cpuPctOfCore, marginalRssMiB: s.rssMiB - idle.rss - without.rssMiB,
      workerWithoutStreams: { cpuPctOfCore: round(without.cpuPctOfCore, 2), rssMiB: round(without.rssMiB) },
    };
  } finally {
    await running.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function bare(urls: readonly string[]) {
  const root = mkdtempSync(join(tmpdir(), 'rec-bench-bare-'));
  const children = urls.map((url, i) => {
    const dir = join(root, String(i));
    mkdirSync(dir);
    return spawn(bins.ffmpegPath, ['-v', 'error', '-rtsp_transport', 'tcp', '-i', withSimCredentials(url), '-map', '0:v', '-c', 'copy', '-f', 'segment', '-segment_time', '4', '-segment_format', 'mp4', '-reset_timestamps', '1', join(dir, '%06d.mp4')], { stdio: 'ignore' });
  });
  try {
    await sleep(8000);
    const pids = children.map((c) => c.pid!).filter(Boolean);
    const s = await sample(() => pids, () => dirBytes(root));
    return { streams: urls.length, ...s };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await sleep(1000);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}

async function pruneBench() {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = await createScratchDatabase(serverUrl).catch(() => undefined);
  if (!scratch) return { skipped: `no Postgres at ${serverUrl}` };
  const root = mkdtempSync(join(tmpdir(), 'rec-bench-prune-'));
  const config = loadConfig({ env: {}, overrides: { dataDir: 'memory://', 'database.url': scratch.url, 'mqtt.url': '', 'auth.secretKey': 'recording-bench-secret-key', 'log.level': 'warn', 'recording.roots': '' } });
  const running = await startProcess(config, { name: 'recording-bench-prune', modules: [], http: false });
  const db = new Client({ connectionString: scratch.url });
  await db.connect();
  try {
    const perCamera = PRUNE_HOURS * 900;
    const dayStart = Date.UTC(2026, 10, 1);
    const cams = Array.from({ length: PRUNE_CAMERAS }, () => randomUUID());
    await db.query(`INSERT INTO cameras (id, name, tags, profiles) SELECT c::uuid, 'garage', '{}', '[]' FROM unnest($1::text[]) c`, [cams]);
    const t0 = Date.now();
    // rows: camera c, segment i of 4 s from dayStart; path <camera>/sub/<i div 900>/<i>.m4s (an hour per directory)
    await db.query(
      `INSERT INTO recording_segments ("cameraId", profile, "workerId", "rootId", path, "initPath", "startAt", "endAt", bytes, "keepUntil")
       SELECT c::uuid, 'sub', 'bench', 'r0', c || '/sub/' || (i / 900) || '/' || i || '.m4s', c || '/sub/init/0000000000000000.mp4',
              $2::timestamptz + i * interval '4 seconds', $2::timestamptz + (i + 1) * interval '4 seconds', 250000, $2::timestamptz + (i + 1) * interval '4 seconds' + interval '1 day'
       FROM unnest($1::text[]) c, generate_series(0, $3::int - 1) i`,
      [cams, new Date(dayStart), perCamera],
    );
    await db.query('ANALYZE recording_segments');
    const rowsMs = Date.now() - t0;
    const t1 = Date.now();
    for (const c of cams) {
      for (let h = 0; h < PRUNE_HOURS; h++) {
        const dir = join(root, c, 'sub', String(h));
        mkdirSync(dir, { recursive: true });
        for (let i = h * 900; i < (h + 1) * 900; i++) writeFileSync(join(dir, `${i}.m4s`), '');
      }
    }
    const filesMs = Date.now() - t1;
    const repo = running.app.get(RecordingsRepository);
    const storage = new RecordingStorage({ id: 'r0', path: root, quotaBytes: 2 ** 50 }, new NodeRecordingFs(), 0);
    const total = PRUNE_CAMERAS * perCamera;
    // steady state: the minute whose segments expire now (200 cameras × 15 segments)
    const minuteNow = dayStart + 86_400_000 + 60_000 + 1;
    let w = Date.now();
    const minute = { ...(await new RecordingPruner('bench', repo, () => minuteNow).prune(storage)), ms: 0 };
    minute.ms = Date.now() - w; // the pruner's clock is the fake "now"; wall time here
    // a worker back after a day: everything else expired at once
    const dayNow = dayStart + PRUNE_HOURS * 3_600_000 + 86_400_000 + 1;
    w = Date.now();
    const whole = { ...(await new RecordingPruner('bench', repo, () => dayNow).prune(storage)), ms: 0 };
    whole.ms = Date.now() - w;
    const [{ left }] = (await db.query(`SELECT count(*)::int AS left FROM recording_segments`)).rows;
    return {
      database: 'postgres',
      cameras: PRUNE_CAMERAS,
      hours: PRUNE_HOURS,
      segments: total,
      setup: { rowsMs, filesMs },
      steadyMinute: { segments: minute.expired, ms: minute.ms, segmentsPerSecond: Math.round(minute.expired / (minute.ms / 1000)) },
      wholeDay: { segments: whole.expired, ms: whole.ms, segmentsPerSecond: Math.round(whole.expired / (whole.ms / 1000)) },
      rowsLeft: left,
    };
  } finally {
    await db.end();
    await running.stop();
    await scratch.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function costPart(sim: { child: ChildProcess; urls: string[] }, idle: { cpu: number; rss: number }) {
  const measured = await tiergate(sim, COST_STREAMS, idle);
  const ours = { ...measured, cpuPctOfCore: measured.marginalCpuPctOfCore, rssMiB: measured.marginalRssMiB };
  const theirs = await bare(sim.urls.slice(0, COST_STREAMS));
  const per = (x: { cpuPctOfCore: number; rssMiB: number; bytesPerSecond: number; idlePct: number }) => ({
    cpuPctOfCorePerStream: round(x.cpuPctOfCore / COST_STREAMS, 2),
    rssMiBPerStream: round(x.rssMiB / COST_STREAMS, 1),
    bytesPerSecondPerStream: Math.round(x.bytesPerSecond / COST_STREAMS),
    machineIdlePct: round(x.idlePct),
  });
  return {
    streams: COST_STREAMS,
    tiergate: { ...per(ours), recording: ours.recording, workerWithoutStreams: ours.workerWithoutStreams, workerTotal: { cpuPctOfCore: round(measured.cpuPctOfCore, 1), rssMiB: round(measured.rssMiB) } },
    bareFfmpegSegment: per(theirs),
    cpuRatio: round(ours.cpuPctOfCore / theirs.cpuPctOfCore, 2),
    rssRatio: round(ours.rssMiB / theirs.rssMiB, 2),
  };
}

async function scalePart(sim: { child: ChildProcess; urls: string[] }, idle: { cpu: number; rss: number }) {
  const steps: unknown[] = [];
  for (const n of COUNTS) {
    const s = await tiergate(sim, n, idle);
    const step = { streams: n, recording: s.recording, cpuPctOfCore: round(s.cpuPctOfCore), cpuPctOfCorePerStream: round(s.marginalCpuPctOfCore / n, 2), rssMiB: round(s.rssMiB), rssMiBPerStream: round(s.marginalRssMiB / n, 1), diskWriteMBps: round(s.bytesPerSecond / 1e6, 2), machineIdlePct: round(s.idlePct), loadAfter: round(loadavg()[0]!, 2) };
    steps.push(step);
    console.log(JSON.stringify(step));
    if (s.recording < n) break; // the worker could not keep every stream recording: no point in more
  }
  return steps;
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = { machine: { cpus: cpus().length, model: cpus()[0]?.model, loadBefore: loadavg().map((l) => round(l, 2)) }, sampleMs: SAMPLE_MS, at: new Date().toISOString() };
  if (PARTS.has('cost') || PARTS.has('scale')) {
    const sim = await startSim(Math.max(COST_STREAMS, ...COUNTS));
    try {
      await sleep(3000);
      // this process at rest (no worker yet): subtracted from the worker's figures
      const rest = await sample(() => [process.pid], () => 0);
      const idle = { cpu: rest.cpuPctOfCore, rss: rest.rssMiB };
      if (PARTS.has('cost')) console.log(JSON.stringify((result.costPerStream = await costPart(sim, idle))));
      if (PARTS.has('scale')) result.continuous = await scalePart(sim, idle);
    } finally {
      sim.child.kill('SIGTERM');
    }
  }
  if (PARTS.has('prune')) console.log(JSON.stringify((result.prune = await pruneBench())));
  result.machine = { ...(result.machine as object), loadAfter: loadavg().map((l) => round(l, 2)) };
  const file = join(__dirname, '..', '..', 'bench', 'results', 'recording.json');
  // a partial run (RECORDING_BENCH_PARTS) keeps the other parts' figures of the previous run
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    previous = {};
  }
  const runs = { ...(previous.runs as object | undefined), ...Object.fromEntries([...PARTS].map((p) => [p, { at: result.at, machine: result.machine }])) };
  writeFileSync(file, `${JSON.stringify({ ...previous, ...result, runs }, null, 2)}\n`);
  process.exit(0);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
