/**
 * A district on one machine (issue 13): 14 station walls x 16 tiles + 112 post PCs x 4 tiles = 672 viewers over
 * 308 simulated cameras (sub stream: 640x360 25 fps, 500 kbit/s, 1 s GOP), with the production processes apart:
 * `node dist/apps/gateway/src/main.js`, DISTRICT_BENCH_WORKERS x `node dist/apps/transcoder/src/main.js`, a
 * scratch database on the Postgres server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres,
 * dropped afterwards), a private authenticated Mosquitto, DISTRICT_SIM_PROCESSES camera simulators and a
 * load generator process (bench/support/district-viewers.ts). Everything is set up through the API (jurisdiction
 * import, cameras by ONVIF, users, neighbour-post grants). Then the same with twice the viewers.
 * Measured over each window: stalls per viewer, CPU (user+sys from /proc/<pid>/stat) and RSS of the gateway, the
 * workers and their ffmpeg children, the simulators and the load generator apart, the machine's idle share,
 * bytes delivered, the gateway's event-loop delay (its /metrics), the load average.
 * Run: `npm run bench:district` (DISTRICT_BENCH_MINUTES=10, DISTRICT_BENCH_2X_MINUTES=3; DISTRICT_BENCH_STATIONS=7 for half
 * the district, DISTRICT_BENCH_PHASES=1 for 1x only, DISTRICT_BENCH_CPU_PROFILE_DIR=<dir> for V8 CPU profiles of the
 * gateway and the workers). Writes bench/results/district.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { districtCode, generateDistrict } from '@tiergate/domain';
import { createScratchDatabase, type ScratchDatabase } from '@tiergate/persistence';
import { startPrivateBroker } from './support/district-broker';
import { DISTRICT_SHAPE, neighbourGrants, planCameras, planScreens, type DistrictShape, type PlannedCamera } from './support/district-layout';
import {
  commandNameOf, cpuSecondsBetween, descendantsOf, loadAverage, machineTicks, memoryTotals, snapshotTicks, type TickSnapshot,
} from './support/district-proc';
import { ProcessGroup, type Started } from './support/district-processes';
import type { LoadPlan, ViewerPlan, ViewerResult } from './support/district-viewers';

const env = process.env;
const num = (k: string, d: number) => (env[k] ? Number(env[k]) : d);
const MINUTES = num('DISTRICT_BENCH_MINUTES', 10);
const MINUTES_2X = num('DISTRICT_BENCH_2X_MINUTES', 3);
const PHASES = (env.DISTRICT_BENCH_PHASES ?? '1,2').split(',').map(Number);
const WORKERS = num('DISTRICT_BENCH_WORKERS', 2);
const SIM_PROCESSES = num('DISTRICT_SIM_PROCESSES', 2);
const RAMP_SECONDS = num('DISTRICT_BENCH_RAMP_SECONDS', 60);
const SETTLE_SECONDS = num('DISTRICT_BENCH_SETTLE_SECONDS', 20);
const SAMPLE_SECONDS = num('DISTRICT_BENCH_SAMPLE_SECONDS', 15);
/** A directory: the gateway and the workers run with --cpu-prof into it (profiles written when they stop). */
const PROFILE_DIR = env.DISTRICT_BENCH_CPU_PROFILE_DIR;
const profiled = (script: string): string[] => (PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, script] : [script]);
const SHAPE: DistrictShape = { ...DISTRICT_SHAPE, stations: num('DISTRICT_BENCH_STATIONS', DISTRICT_SHAPE.stations) };
const PROFILE = 'sub';
const SERVER_URL = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_PASSWORD = 'district-bench-Admin-7731';
const SECRET = 'district-bench-secret-key-0123456789';
const SIM = { firstAddresses: ['127.0.180.1', '127.0.182.1', '127.0.184.1', '127.0.186.1'], onvifPort: 48180, rtspPort: 48654, discoveryPort: 43780 };
/** Screens connect from 127.0.190.1, .2, ... (250 per /24): one address per wall or PC, as on a real network. */
const SCREEN_NET = 190;
const DIST = resolve(__dirname, '..'); // dist/
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
};

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => r(port));
    });
  });
}

/** A small API client for setup (admin calls). */
class Api {
  constructor(readonly base: string) {}
  async call(method: string, path: string, token?: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any; text: string }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text };
  }
  async must(method: string, path: string, token: string | undefined, body: unknown, want: number, contentType?: string): Promise<any> {
    const res = await this.call(method, path, token, body, contentType);
    if (res.status !== want) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    return res.body;
  }
  async login(username: string, password: string): Promise<string> {
    return (await this.must('POST', '/api/auth/login', undefined, { username, password }, 200)).accessToken;
  }
}

async function inBatches<T, R>(items: readonly T[], width: number, f: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!, i);
    }
  }));
  return out;
}

interface SimCameraAddress { host: string; port: number }

async function startSimulators(group: ProcessGroup, count: number): Promise<{ procs: Started[]; addresses: SimCameraAddress[] }> {
  const per = Math.ceil(count / SIM_PROCESSES);
  const procs: Started[] = [];
  const addresses: SimCameraAddress[][] = [];
  await Promise.all(Array.from({ length: SIM_PROCESSES }, async (_, i) => {
    const n = Math.min(per, count - i * per);
    if (n <= 0) return;
    const lines: string[] = [];
    const p = group.start(`camera-sim-${i + 1}`, process.execPath, [join(DIST, 'apps/camera-sim/src/main.js')], {
      ...env, SIM_CAMERAS: String(n), SIM_FIRST_ADDRESS: SIM.firstAddresses[i]!, SIM_ONVIF_PORT: String(SIM.onvifPort), SIM_RTSP_PORT: String(SIM.rtspPort),
      SIM_DISCOVERY_PORT: String(SIM.discoveryPort), SIM_LABEL_PER_CAMERA: 'false',
    });
    procs[i] = p;
    p.onLine((l) => lines.push(l));
    await p.waitForLine(/cameras up/, 180_000);
    addresses[i] = lines.filter((l) => l.includes('\thttp://')).map((l) => {
      const u = new URL(l.split('\t')[1]!);
      return { host: u.hostname, port: Number(u.port) };
    });
  }));
  return { procs: procs.filter(Boolean), addresses: addresses.flat() };
}

/** Imports the district, adds the cameras by ONVIF, makes one user per station and per post, grants neighbour posts. */
async function setUpDistrict(api: Api, cameras: readonly PlannedCamera[], sims: readonly SimCameraAddress[]) {
  const admin = await api.login('admin', ADMIN_PASSWORD);
  const district = generateDistrict({ stations: SHAPE.stations, postsPerStation: SHAPE.postsPerStation, seed: 13 });
  await api.must('POST', '/api/jurisdictions/import', admin, district, 200, 'application/geo+json');
  const nodes = (await api.must('GET', '/api/jurisdictions', admin, undefined, 200)) as { id: string; code: string }[];
  const idOf = new Map(nodes.map((n) => [n.code, n.id]));
  const R = '210103';
  const jurisdiction = (s: number, p = 0) => idOf.get(districtCode(R, s, p)) ?? (() => { throw new Error(`no jurisdiction ${districtCode(R, s, p)}`); })();
  const t0 = performance.now();
  const cameraIds = await inBatches(cameras, 8, async (c) => {
    const sim = sims[c.index]!;
    const body = await api.must('POST', '/api/cameras', admin, { name: `s${c.station} p${c.post} cam ${c.index}`, onvif: { host: sim.host, port: sim.port, username: 'admin', password: 'sim-pass' }, jurisdictionId: jurisdiction(c.station, c.post) }, 201);
    return body.id as string;
  });
  const camerasSeconds = (performance.now() - t0) / 1000;
  const userOf = new Map<string, string>(); // "s3" / "s3p5" -> bearer token
  const accounts = [
    ...Array.from({ length: SHAPE.stations }, (_, i) => ({ key: `s${i + 1}`, jurisdictionId: jurisdiction(i + 1) })),
    ...Array.from({ length: SHAPE.stations * SHAPE.postsPerStation }, (_, i) => {
      const s = Math.floor(i / SHAPE.postsPerStation) + 1;
      const p = (i % SHAPE.postsPerStation) + 1;
      return { key: `s${s}p${p}`, jurisdictionId: jurisdiction(s, p) };
    }),
  ];
  await inBatches(accounts, 4, async (a) => {
    const username = `district-${a.key}`;
    const password = `${username}-Watch-Pw-7731`;
    await api.must('POST', '/api/users', admin, { username, password, role: 'viewer', jurisdictionId: a.jurisdictionId }, 201);
    userOf.set(a.key, await api.login(username, password));
  });
  const grants = neighbourGrants(SHAPE, cameras);
  const expiresAt = new Date(Date.now() + 6 * 3600_000).toISOString();
  await inBatches(grants, 4, (g) =>
    api.must('POST', '/api/grants', admin, { jurisdictionId: jurisdiction(g.station, g.next), granteeJurisdictionId: jurisdiction(g.station, g.post), expiresAt, reason: 'neighbouring post (district bench)' }, 201));
  return { admin, cameraIds, userOf, grants: grants.length, camerasSeconds };
}

function viewerPlans(copies: number, cameras: readonly PlannedCamera[], cameraIds: readonly string[], userOf: Map<string, string>): ViewerPlan[] {
  const out: ViewerPlan[] = [];
  for (const [n, screen] of planScreens(SHAPE, cameras, copies).entries()) {
    const sourceAddress = `127.0.${SCREEN_NET + Math.floor(n / 250)}.${(n % 250) + 1}`;
    const bearer = userOf.get(screen.kind === 'wall' ? `s${screen.station}` : `s${screen.station}p${screen.post}`)!;
    for (const [t, c] of screen.cameras.entries()) out.push({ id: `${screen.name}-t${t + 1}`, kind: screen.protocol, screen: screen.kind, cameraId: cameraIds[c]!, bearer, sourceAddress });
  }
  return out;
}

/**
 * What the product processes warned about, by kind: each warn/error line of their logs with ids, numbers and
 * addresses blanked, counted (the most frequent first). Says why a run broke (workers judged dead, start timeouts).
 */
function warningsIn(work: string, names: readonly string[], since = 0): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const name of names) {
    let text = '';
    try {
      text = readFileSync(join(work, `${name}.log`), 'utf8');
    } catch {
      continue;
    }
    const counts: Record<string, number> = {};
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      let entry: { level?: string; message?: string; context?: string; timestamp?: number };
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if ((entry.level !== 'warn' && entry.level !== 'error') || (entry.timestamp ?? 0) < since) continue;
      const kind = `${entry.context ?? '-'}: ${(entry.message ?? '')
        .replace(/\{.*"code":"([A-Z_]+)".*$/, 'code $1')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
        .replace(/\[<id>\]/g, '')
        .replace(/\d+/g, 'N')
        .slice(0, 140)}`;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    out[name] = Object.fromEntries(Object.entries(counts).sort((x, y) => y[1] - x[1]).slice(0, 12));
  }
  return out;
}

/** The processes whose CPU is counted, grouped. ffmpeg children are found again at each reading. */
interface Roles { gateway: number; workers: number[]; sims: number[]; loadgen: number }
function pidsByRole(r: Roles) {
  const under = r.workers.flatMap((w) => descendantsOf(w));
  const ffmpeg = under.filter((p) => commandNameOf(p) === 'ffmpeg');
  const wrappers = under.filter((p) => !ffmpeg.includes(p));
  return { gateway: [r.gateway], workers: r.workers, ffmpeg, wrappers, sims: r.sims.flatMap((s) => [s, ...descendantsOf(s)]), loadgen: [r.loadgen] };
}
type RolePids = ReturnType<typeof pidsByRole>;

async function gatewayLoopDelay(base: string): Promise<{ p99: number; max: number } | undefined> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const v = (name: string) => Number(new RegExp(`^tiergate_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000;
    return { p99: v('p99'), max: v('max') };
  } catch {
    return undefined;
  }
}

function summarizeViewers(vs: readonly ViewerResult[], seconds: number) {
  const by = (pred: (v: ViewerResult) => boolean) => {
    const xs = vs.filter(pred);
    const joins = xs.map((v) => v.joinMs).filter((x): x is number => x !== undefined);
    return {
      viewers: xs.length,
      playing: joins.length,
      stallsOver1s: xs.reduce((a, v) => a + v.stalls, 0),
      viewersWithStalls: xs.filter((v) => v.stalls > 0).length,
      stalledSeconds: round(xs.reduce((a, v) => a + v.stalledMs, 0) / 1000),
      maxGapMs: { p50: Math.round(pct(xs.map((v) => v.maxGapMs), 50)), p99: Math.round(pct(xs.map((v) => v.maxGapMs), 99)), max: Math.round(Math.max(0, ...xs.map((v) => v.maxGapMs))) },
      joinMs: { p50: Math.round(pct(joins, 50)), p95: Math.round(pct(joins, 95)), max: Math.round(Math.max(0, ...joins)) },
      reconnects: xs.reduce((a, v) => a + v.reconnects, 0),
      mbitPerSecond: round((xs.reduce((a, v) => a + v.bytes, 0) * 8) / seconds / 1e6, 1),
      unitsPerViewerPerSecond: round(xs.reduce((a, v) => a + v.units, 0) / Math.max(1, xs.length) / seconds, 2),
    };
  };
  const errors: Record<string, number> = {};
  for (const v of vs) for (const [k, n] of Object.entries(v.errors)) errors[k] = (errors[k] ?? 0) + n;
  return { all: by(() => true), wallMse: by((v) => v.screen === 'wall'), postMse: by((v) => v.screen === 'post' && v.kind === 'mse'), postHls: by((v) => v.kind === 'hls'), errors };
}

async function runPhase(group: ProcessGroup, work: string, api: Api, copies: number, minutes: number, ctx: { gateway: Started; workers: Started[]; sims: Started[]; cameras: readonly PlannedCamera[]; cameraIds: readonly string[]; userOf: Map<string, string> }) {
  const viewers = viewerPlans(copies, ctx.cameras, ctx.cameraIds, ctx.userOf);
  const plan: LoadPlan = { gatewayUrl: api.base, profile: PROFILE, rampSeconds: RAMP_SECONDS * copies, settleSeconds: SETTLE_SECONDS, measureSeconds: Math.round(minutes * 60), viewers };
  const planFile = join(work, `plan-${copies}x.json`);
  const resultFile = join(work, `viewers-${copies}x.json`);
  writeFileSync(planFile, JSON.stringify(plan));
  const loadBefore = loadAverage();
  const phaseStartedAt = Date.now();
  console.log(`phase ${copies}x: ${viewers.length} viewers, ramp ${plan.rampSeconds} s, measure ${minutes} min, load ${loadBefore.join(' ')}`);
  const gen = group.start(`viewers-${copies}x`, process.execPath, ['--max-old-space-size=2048', join(DIST, 'bench/support/district-viewers.js'), planFile, resultFile], env);
  const roles: Roles = { gateway: ctx.gateway.pid, workers: ctx.workers.map((w) => w.pid), sims: ctx.sims.map((s) => s.pid), loadgen: gen.pid };
  let ramped: unknown;
  gen.onLine((l) => {
    if (l.startsWith('{')) console.log(`  ${l}`);
    if (l.includes('"ramped"')) ramped = JSON.parse(l);
  });
  await gen.waitForLine(/"measure-start"/, (plan.rampSeconds + SETTLE_SECONDS + 600) * 1000);
  // readings at the window's start, every SAMPLE_SECONDS in it, and at its end
  const firstPids = pidsByRole(roles);
  const ticks0 = new Map(Object.entries(firstPids).map(([k, pids]) => [k, snapshotTicks(pids)])) as Map<keyof RolePids, TickSnapshot>;
  const machine0 = machineTicks();
  const t0 = performance.now();
  await gatewayLoopDelay(api.base); // resets the gateway's loop-delay histogram
  const samples: Record<string, unknown>[] = [];
  let ended = false;
  void gen.waitForLine(/"measure-end"/, (minutes * 60 + 120) * 1000).then(() => (ended = true), () => (ended = true));
  const sample = async () => {
    const p = pidsByRole(roles);
    const mem = Object.fromEntries(Object.entries(p).map(([k, pids]) => [k, memoryTotals(pids)]));
    samples.push({ atSeconds: Math.round((performance.now() - t0) / 1000), load1: loadAverage()[0], ffmpeg: p.ffmpeg.length, gatewayLoopDelayMs: await gatewayLoopDelay(api.base), rssMiB: Object.fromEntries(Object.entries(mem).map(([k, m]) => [k, round(m.rssMiB)])), anonMiB: Object.fromEntries(Object.entries(mem).map(([k, m]) => [k, round(m.anonMiB)])) });
  };
  let lastPids = firstPids;
  while (!ended) {
    await Promise.race([sleep(SAMPLE_SECONDS * 1000), gen.waitForLine(/"measure-end"/, SAMPLE_SECONDS * 1000 + 100).catch(() => undefined)]);
    if (ended) break;
    lastPids = pidsByRole(roles);
    await sample();
  }
  const endPids = pidsByRole(roles);
  const ticks1 = new Map(Object.entries(endPids).map(([k, pids]) => [k, snapshotTicks(pids)])) as Map<keyof RolePids, TickSnapshot>;
  const machine1 = machineTicks();
  const seconds = (performance.now() - t0) / 1000;
  const memEnd = Object.fromEntries(Object.entries(lastPids).map(([k, pids]) => [k, memoryTotals(pids)]));
  const loadAfter = loadAverage();
  await gen.exited;
  const viewerFile = JSON.parse(readFileSync(resultFile, 'utf8')) as { measuredSeconds: number; loopDelayMs: Record<string, number>; viewers: ViewerResult[] };

  const cpu = Object.fromEntries([...ticks1.keys()].map((k) => {
    const c = cpuSecondsBetween(ticks0.get(k)!, ticks1.get(k)!);
    return [k, { pctOfCore: round((c.seconds / seconds) * 100, 1), born: c.born, vanished: c.vanished }];
  })) as Record<keyof RolePids, { pctOfCore: number; born: number; vanished: number }>;
  const workerPct = ctx.workers.map((w) => {
    const a = ticks0.get('workers')!.get(w.pid);
    const b = ticks1.get('workers')!.get(w.pid);
    return a !== undefined && b !== undefined ? round(((b - a) / 100 / seconds) * 100, 1) : NaN;
  });
  const sessions = endPids.ffmpeg.length;
  const v = summarizeViewers(viewerFile.viewers, viewerFile.measuredSeconds);
  const product = cpu.gateway.pctOfCore + cpu.workers.pctOfCore + cpu.ffmpeg.pctOfCore + cpu.wrappers.pctOfCore;
  const mt = { idle: machine1.idle - machine0.idle, total: machine1.total - machine0.total };
  const loopSamples = samples.map((s) => s.gatewayLoopDelayMs as { p99: number; max: number } | undefined).filter((x): x is { p99: number; max: number } => !!x);
  const result = {
    copies,
    viewers: { total: viewers.length, wallMse: v.wallMse.viewers, postMse: v.postMse.viewers, postHls: v.postHls.viewers, screens: { walls: SHAPE.stations * copies, postPcs: SHAPE.stations * SHAPE.postsPerStation * copies } },
    measuredMinutes: round(seconds / 60, 2),
    ramp: ramped,
    sessions,
    ffmpegPerCameraWatched: round(sessions / new Set(viewers.map((x) => x.cameraId)).size, 2),
    loadAverage: { before: loadBefore, after: loadAfter, during1min: { min: Math.min(...samples.map((s) => s.load1 as number)), max: Math.max(...samples.map((s) => s.load1 as number)) } },
    stalls: v,
    deliveredMbitPerSecond: v.all.mbitPerSecond,
    cpuPctOfCore: { ...Object.fromEntries(Object.entries(cpu).map(([k, c]) => [k, c.pctOfCore])), workersEach: workerPct, product: round(product, 1) },
    processChurn: Object.fromEntries(Object.entries(cpu).map(([k, c]) => [k, { born: c.born, vanished: c.vanished }])),
    perStream: { ffmpegPctOfCore: round(cpu.ffmpeg.pctOfCore / sessions, 3), workerPctOfCore: round(cpu.workers.pctOfCore / sessions, 3), wrapperPctOfCore: round(cpu.wrappers.pctOfCore / sessions, 3), ffmpegRssMiB: round(memEnd.ffmpeg!.rssMiB / sessions, 1), ffmpegAnonMiB: round(memEnd.ffmpeg!.anonMiB / sessions, 2), workerAnonMiB: round(memEnd.workers!.anonMiB / sessions, 2) },
    perViewer: { gatewayPctOfCore: round(cpu.gateway.pctOfCore / viewers.length, 3), productPctOfCore: round(product / viewers.length, 3), gatewayAnonMiB: round(memEnd.gateway!.anonMiB / viewers.length, 3) },
    memoryMiB: Object.fromEntries(Object.entries(memEnd).map(([k, m]) => [k, { rss: round(m.rssMiB), anon: round(m.anonMiB), processes: m.processes }])),
    machine: { cores: cpus().length, idleFraction: round(mt.idle / mt.total, 3), busyCores: round(((mt.total - mt.idle) / mt.total) * cpus().length, 2) },
    gatewayLoopDelayMs: { p99OfWindows: { p50: round(pct(loopSamples.map((s) => s.p99), 50)), max: round(Math.max(0, ...loopSamples.map((s) => s.p99))) }, max: round(Math.max(0, ...loopSamples.map((s) => s.max))) },
    loadGeneratorLoopDelayMs: Object.fromEntries(Object.entries(viewerFile.loopDelayMs).map(([k, x]) => [k, round(x)])),
    warningsSincePhaseStart: warningsIn(work, ['gateway', ...ctx.workers.map((w) => w.name)], phaseStartedAt),
    samples,
  };
  console.log(`phase ${copies}x:`, JSON.stringify({ stalls: v.all.stallsOver1s, viewersWithStalls: v.all.viewersWithStalls, cpu: result.cpuPctOfCore, idle: result.machine.idleFraction, mbit: v.all.mbitPerSecond, loop: result.gatewayLoopDelayMs, loadgenLoop: result.loadGeneratorLoopDelayMs }));
  return result;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'district-bench-'));
  const group = new ProcessGroup(work);
  let scratch: ScratchDatabase | undefined;
  const started = new Date().toISOString();
  const loadAtStart = loadAverage();
  console.log(`district bench: ${SHAPE.stations} stations, ${WORKERS} worker(s), ${SIM_PROCESSES} simulator process(es), logs in ${work}, load ${loadAtStart.join(' ')}`);
  const cameras = planCameras(SHAPE);
  const phases: unknown[] = [];
  let setup: Record<string, unknown> = {};
  let failure: unknown;
  const onSignal = () => void group.stop().finally(() => scratch?.drop().catch(() => undefined)).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    scratch = await createScratchDatabase(SERVER_URL, 'tiergate_district');
    const broker = await startPrivateBroker(group, await freePort());
    const sim = await startSimulators(group, cameras.length);
    if (sim.addresses.length !== cameras.length) throw new Error(`simulators listed ${sim.addresses.length} cameras, want ${cameras.length}`);
    const port = await freePort();
    const common = {
      ...env, DATABASE_URL: scratch.url, MQTT_URL: broker.url, TIERGATE_SECRET_KEY: SECRET, TIERGATE_LOG_LEVEL: 'warn', TIERGATE_DATA_DIR: join(work, 'data'),
    };
    const gateway = group.start('gateway', process.execPath, profiled(join(DIST, 'apps/gateway/src/main.js')), { ...common, PORT: String(port), TIERGATE_HOST: '127.0.0.1', TIERGATE_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const api = new Api(`http://127.0.0.1:${port}`);
    for (let i = 0; ; i++) {
      if ((await api.call('GET', '/api/health').catch(() => ({ status: 0 }))).status === 200) break;
      if (i > 600 || gateway.child.exitCode !== null) throw new Error('gateway did not become healthy (see gateway.log)');
      await sleep(100);
    }
    const capacity = cameras.length + 16; // either worker could hold every stream: capacity is not what this measures
    const workers = Array.from({ length: WORKERS }, (_, i) =>
      group.start(`transcoder-${i + 1}`, process.execPath, profiled(join(DIST, 'apps/transcoder/src/main.js')), { ...common, TIERGATE_WORKER_ID: `district-w${i + 1}`, TIERGATE__TRANSCODER__CAPACITY: String(capacity) }));
    const s = await setUpDistrict(api, cameras, sim.addresses);
    // the workers' heartbeats have reached the gateway once one camera plays
    for (let i = 0; ; i++) {
      const res = await api.call('POST', `/api/cameras/${s.cameraIds[0]}/live`, s.admin, { profile: PROFILE });
      if (res.status === 200) break;
      if (i > 30) throw new Error(`no worker plays: ${res.status} ${res.text}`);
      await sleep(1000);
    }
    setup = { cameras: cameras.length, camerasAddedSeconds: round(s.camerasSeconds), users: s.userOf.size, neighbourGrants: s.grants, workers: WORKERS, workerCapacity: capacity, simulatorProcesses: sim.procs.length };
    console.log('setup', JSON.stringify(setup));
    for (const copies of PHASES) {
      phases.push(await runPhase(group, work, api, copies, copies === 1 ? MINUTES : MINUTES_2X, { gateway, workers, sims: sim.procs, cameras, cameraIds: s.cameraIds, userOf: s.userOf }));
    }
  } catch (e) {
    failure = e;
  } finally {
    await group.stop(undefined, 10_000);
    await scratch?.drop().catch((e: unknown) => console.error(`could not drop ${scratch?.url}: ${(e as Error).message}`));
  }
  if (failure) {
    console.error(failure);
    console.error(`logs kept in ${work}`);
    process.exitCode = 1;
    return;
  }
  const out = {
    at: started,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAtStart },
    source: `camera-sim sub profile: 640x360 H.264 baseline 25 fps, 500 kbit/s, 1 s GOP, RTSP over TCP; classic HLS 1 s segments + fMP4 ${PROFILE} feed per session`,
    shape: SHAPE,
    setup,
    phases,
    notes: [
      'CPU: user+sys ticks from /proc/<pid>/stat over the measured window, % of one core; ffmpeg = every ffmpeg under the workers, wrappers = their watchdog shells; product = gateway + workers + ffmpeg + wrappers (not the simulators, not the load generator, not Postgres or Mosquitto)',
      'RSS sums count shared pages once per process (the ffmpeg binary); anon is the unshared part',
      'MSE stall: no fragment for more than 1 s; HLS stall: a segment later than the previous one\'s duration + 1 s (hls.js-like polling: playlist every 1 s, 0.5 s when unchanged); counted only inside the window, after the ramp and a settle period',
      'gateway loop delay: prom-client\'s monitorEventLoopDelay (tiergate_nodejs_eventloop_lag_*), read every sample interval, so each p99/max is that interval\'s',
      'machine idleFraction: idle+iowait of /proc/stat over the window, for the whole machine, which other jobs shared (see loadAverage)',
    ],
  };
  const dir = resolve(DIST, '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = env.DISTRICT_BENCH_OUT ?? join(dir, 'district.json');
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${file}`);
  if (env.DISTRICT_BENCH_KEEP_LOGS === '1') console.log(`logs kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
