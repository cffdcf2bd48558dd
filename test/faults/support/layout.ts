import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendantsOf, ffmpegMentioning, freePort, type Managed, ProcessBook, until } from './processes';
import { OwnMosquitto, OwnPostgres } from './services';

export const ROOT = join(__dirname, '..', '..', '..');
export const ADMIN_PASSWORD = 'faults-admin-password';
const SECRET_KEY = 'fault-suite-secret-key-0123456789';

/** The suite's loopback addresses (no other test uses 127.0.77-79.x): cameras on .77 (sim A) and .78 (sim B). */
export const NET_A = '127.0.77';
export const NET_B = '127.0.78';
export const RACE_NET = '127.0.79';
/** What every ffmpeg of the suite's transcoders has on its command line: one of the cameras' addresses. */
export const FFMPEG_MARKERS = [`${NET_A}.`, `${NET_B}.`];

export type AppName = 'gateway' | 'partitioner' | 'discovery' | 'transcoder';

export interface AppSpec {
  /** Unique name in the layout (gateway-a, transcoder-1, …). */
  id: string;
  app: AppName | 'camera-sim';
  env: Record<string, string>;
  /** Log line that says the process serves. */
  ready: RegExp;
}

/**
 * The production layout on loopback, every part a separate process of the suite's: its own Postgres and
 * Mosquitto, two gateways, a partitioner, a discovery, two transcoders and two camera simulators, all started
 * from dist/ as production does. Logs go to test-artifacts/faults/<run>/.
 */
export class Layout {
  readonly book = new ProcessBook();
  readonly dir = mkdtempSync(join(tmpdir(), 'tiergate-faults-'));
  readonly logs: string;
  readonly pg: OwnPostgres;
  readonly mq: OwnMosquitto;
  readonly specs = new Map<string, AppSpec>();
  readonly procs = new Map<string, Managed>();
  readonly gatewayPorts: Record<string, number> = {};
  private readonly logOffset = new Map<string, number>();

  constructor(logs: string) {
    this.logs = logs;
    rmSync(logs, { recursive: true, force: true }); // one run's logs: a ready line of an earlier run must not count
    chmodSync(this.dir, 0o755); // Postgres and Mosquitto run as their own users, in directories below it
    mkdirSync(logs, { recursive: true });
    this.pg = new OwnPostgres(this.book, join(this.dir, 'pg'));
    this.mq = new OwnMosquitto(this.book, join(this.dir, 'mqtt'));
  }

  async initServices(): Promise<void> {
    await this.pg.init();
    await this.mq.init();
    await this.pg.start();
    await this.mq.start();
  }

  /** Every app of the layout, with its environment (ports chosen now, kept across restarts). */
  async plan(): Promise<void> {
    const sim = (id: string, net: string, count: number): AppSpec => ({
      id, app: 'camera-sim', ready: /camera-sim: \d+ cameras up/,
      env: { SIM_CAMERAS: String(count), SIM_FIRST_ADDRESS: `${net}.1`, SIM_PASSWORD: 'sim-pass' },
    });
    this.add(sim('sim-a', NET_A, 3));
    this.add(sim('sim-b', NET_B, 1));
    for (const g of ['a', 'b']) {
      this.gatewayPorts[`gateway-${g}`] = await freePort();
      this.add({ id: `gateway-${g}`, app: 'gateway', ready: /Tiergate gateway listening on/, env: { PORT: String(this.gatewayPorts[`gateway-${g}`]) } });
    }
    this.add({ id: 'partitioner', app: 'partitioner', ready: /Tiergate partitioner started/, env: {} });
    // Health rounds every 10 s (60 s by default), so that "camera stopped" is seen within the scenario.
    this.add({ id: 'discovery', app: 'discovery', ready: /Tiergate discovery started/, env: { TIERGATE__HEALTH__INTERVAL_SECONDS: '10' } });
    for (const n of [1, 2]) {
      this.add({ id: `transcoder-${n}`, app: 'transcoder', ready: /Tiergate transcoder started/, env: { TIERGATE_WORKER_ID: `fault-w${n}`, TIERGATE_WORKER_PORT: String(await freePort()) } });
    }
  }

  private add(spec: AppSpec): void {
    this.specs.set(spec.id, spec);
  }

  get appIds(): string[] {
    return [...this.specs.values()].filter((s) => s.app !== 'camera-sim').map((s) => s.id);
  }

  gatewayUrl(id: 'gateway-a' | 'gateway-b'): string {
    return `http://127.0.0.1:${this.gatewayPorts[id]}`;
  }

  /** Spawns one process of the layout (no waiting). */
  spawn(id: string): Managed {
    const spec = this.specs.get(id);
    if (!spec) throw new Error(`no app ${id} in the layout`);
    const dataDir = join(this.dir, 'data', id);
    mkdirSync(dataDir, { recursive: true });
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ...(process.env.FFMPEG_PATH ? { FFMPEG_PATH: process.env.FFMPEG_PATH } : {}),
      TIERGATE_HOST: '127.0.0.1',
      TIERGATE_DATA_DIR: dataDir,
      TIERGATE_DEMO: '0',
      TIERGATE_LOG_LEVEL: 'info',
      DATABASE_URL: this.pg.url,
      MQTT_URL: this.mq.url,
      TIERGATE_SECRET_KEY: SECRET_KEY,
      TIERGATE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...spec.env,
    };
    this.logOffset.set(id, this.procs.get(id)?.log().length ?? 0); // a restarted process appends to the same log
    const proc = this.book.spawn(id, process.execPath, [join(ROOT, 'dist', 'apps', spec.app, 'src', 'main.js')], {
      cwd: ROOT, env, logPath: join(this.logs, `${id}.log`),
    });
    this.procs.set(id, proc);
    return proc;
  }

  /** Waits for the ready line printed since the last spawn; throws with the log's tail if it exits or does not get there. */
  async ready(id: string, ms = 90_000): Promise<number> {
    const proc = this.proc(id);
    const re = this.specs.get(id)!.ready;
    const from = this.logOffset.get(id) ?? 0;
    const ok = await until(() => !proc.alive || re.test(proc.log().slice(from)), ms, 200);
    if (!ok || !proc.alive) throw new Error(`${id} did not start (${proc.exit ? `exit ${proc.exit.code ?? proc.exit.signal}` : 'timeout'}): ${proc.log().slice(-1500)}`);
    return Date.now() - proc.startedAt;
  }

  /** Starts (or restarts) a process and waits until it serves. */
  async start(id: string, ms?: number): Promise<Managed> {
    const proc = this.spawn(id);
    await this.ready(id, ms);
    return proc;
  }

  proc(id: string): Managed {
    const p = this.procs.get(id);
    if (!p) throw new Error(`${id} was never started`);
    return p;
  }

  /** The transcoder (id) whose ffmpeg pulls from `cameraAddress`, if any. */
  holderOf(cameraAddress: string): string | undefined {
    for (const id of ['transcoder-1', 'transcoder-2']) {
      const p = this.procs.get(id);
      if (!p?.alive) continue;
      const under = new Set(descendantsOf(p.pid));
      if (ffmpegMentioning([`@${cameraAddress}:`, `//${cameraAddress}:`]).some((pid) => under.has(pid))) return id;
    }
    return undefined;
  }

  /** The transcoders' ffmpeg pulling from `cameraAddress`. */
  ffmpegOf(cameraAddress: string): number[] {
    return ffmpegMentioning([`@${cameraAddress}:`, `//${cameraAddress}:`]);
  }

  /** Every ffmpeg of the suite still alive whose transcoder is gone or is not its ancestor. */
  orphanFfmpeg(): number[] {
    const owned = new Set<number>();
    for (const id of ['transcoder-1', 'transcoder-2']) {
      const p = this.procs.get(id);
      if (p?.alive) for (const d of descendantsOf(p.pid)) owned.add(d);
    }
    return ffmpegMentioning(FFMPEG_MARKERS).filter((pid) => !owned.has(pid));
  }

  /** Reaps everything: apps, simulators, the suite's ffmpeg, Mosquitto, Postgres. Returns what had to be killed. */
  async teardown(): Promise<string[]> {
    const killed = await this.book.reapAll();
    const stray = ffmpegMentioning(FFMPEG_MARKERS);
    for (const pid of stray) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    rmSync('/dev/shm/tiergate-hls/fault-w1', { recursive: true, force: true });
    rmSync('/dev/shm/tiergate-hls/fault-w2', { recursive: true, force: true });
    return [...killed, ...stray.map((p) => `ffmpeg (pid ${p})`)];
  }
}
