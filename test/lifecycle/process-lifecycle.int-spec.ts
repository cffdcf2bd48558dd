/**
 * Real processes, started the way `npm start` / `npm run start:*` start them: npm → sh → (exec) node. The
 * package.json script is read and only its build step and `dist/…js` are swapped for the TypeScript sources
 * (test/support/ts-register.js), so the test runs the code under test without a build. Covers: SIGTERM to
 * npm reaches the app, which stops gracefully and exits 0 leaving no child (ffmpeg) behind; a database
 * that is down at start-up is retried with one line per attempt, then the clear line and exit 1; SIGTERM
 * during those retries exits 0 at once.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src/fleet';
import { createScratchDatabase, type ScratchDatabase } from '@tiergate/persistence';
import { childrenOf } from '../support/process-tree';

const external = process.env.TIERGATE_TEST_MODE === 'external';
const root = join(__dirname, '..', '..');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
const ADMIN_PASSWORD = 'lifecycle-admin-pass';
const SECRET_KEY = 'lifecycle-test-secret-key-0123456789';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number): boolean => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};
const comm = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
};
const descendantsOf = (pid: number): number[] => childrenOf(pid).flatMap((c) => [c, ...descendantsOf(c)]);
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** `npm run build && exec node dist/apps/x/src/main.js` → `exec node -r ts-register apps/x/src/main.ts`. */
function sourceCommandOf(script: string): string {
  const m = /^(?:npm run build && )?exec node dist\/(\S+)\.js$/.exec(scripts[script] ?? '');
  if (!m) throw new Error(`package.json "${script}" does not end in "exec node dist/….js": ${scripts[script]}`);
  return `exec node -r ./test/support/ts-register.js ${m[1]}.ts`;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a package.json script's process under npm (npm exec -c runs it through sh as npm run does). */
function startScript(script: string, env: Record<string, string>, preload?: string): Started {
  const command = preload ? sourceCommandOf(script).replace('exec node ', `exec node -r ${preload} `) : sourceCommandOf(script);
  const child = spawn('npm', ['exec', '--offline', '--yes', '-c', command], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? tmpdir(), TIERGATE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

async function until(what: string, cond: () => boolean, ms: number, started?: Started): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${started ? `; output:\n${started.output().slice(-3000)}` : ''}`);
    await sleep(100);
  }
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe('lifecycle: start scripts, SIGTERM and start-up retries on real processes', () => {
  const started: Started[] = [];
  let dataDir: string;

  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'tg-life-'))));
  afterAll(async () => {
    // Whatever a failed test left running: the npm process and everything under it.
    for (const s of started) {
      for (const pid of [s.child.pid!, ...descendantsOf(s.child.pid!)].reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every start script hands its process to node with exec (so npm passes SIGTERM on)', () => {
    const starts = Object.keys(scripts).filter((s) => s === 'start' || s.startsWith('start:'));
    expect(starts).toEqual(expect.arrayContaining(['start', 'start:gateway', 'start:discovery', 'start:transcoder', 'start:partitioner']));
    for (const s of starts) expect(() => sourceCommandOf(s)).not.toThrow();
  });

  describe('npm start (all-in-one, TIERGATE_DEMO=0) playing a live stream', () => {
    let fleet: Fleet;
    let scratch: ScratchDatabase | undefined;
    beforeAll(async () => {
      fleet = await startCameraFleet({ count: 1, firstAddress: '127.0.70.1', onvifPort: 38280, rtspPort: 38754, discoveryPort: 33770 });
      if (external) scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'tiergate_life');
    });
    afterAll(async () => {
      await fleet?.stop();
      await scratch?.drop();
    });

    it('stops on SIGTERM to npm with exit code 0, and no child it started survives', async () => {
      const port = await freePort();
      const app = startScript('start', {
        TIERGATE_DEMO: '0',
        PORT: String(port),
        TIERGATE_DATA_DIR: join(dataDir, 'aio'),
        TIERGATE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        TIERGATE_SECRET_KEY: SECRET_KEY,
        ...(external ? { DATABASE_URL: scratch!.url, MQTT_URL: process.env.MQTT_URL! } : {}),
      });
      started.push(app);
      await until('the app to listen', () => app.output().includes(`listening on http://127.0.0.1:${port}`), 150_000, app);
      const base = `http://127.0.0.1:${port}`;
      const call = async (method: string, path: string, body?: unknown, token?: string) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json().catch(() => undefined) };
      };
      const login = await call('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(login.status).toBe(200);
      const token = login.body.accessToken;
      const camera = await call('POST', '/api/cameras', { name: 'Lifecycle camera', rtspUrl: fleet.cameras[0]!.subRtspUrl.replace('rtsp://', 'rtsp://admin:sim-pass@') }, token);
      expect(camera.status).toBe(201);
      const live = await call('POST', `/api/cameras/${camera.body.id}/live`, {}, token);
      expect(live).toEqual({ status: 200, body: expect.objectContaining({ hlsUrl: expect.any(String) }) });

      // npm → node (exec: no shell in between) → the ffmpeg of the stream (and its watchdog wrapper).
      const npmPid = app.child.pid!;
      const tree = descendantsOf(npmPid);
      expect(childrenOf(npmPid).map(comm)).toEqual(['node']);
      expect(tree.map(comm)).toContain('ffmpeg');

      const stopAt = Date.now();
      app.child.kill('SIGTERM');
      const exit = await within(app.exited, 20_000, 'the stop');
      expect({ exit, output: app.output().split('\n').filter((l) => /SIGTERM|stopped|uncaught|shutdown/.test(l)) }).toEqual({
        exit: { code: 0, signal: null },
        output: [expect.stringContaining('SIGTERM: shutting down'), expect.stringContaining('Tiergate tiergate stopped')],
      });
      await until('every child to be gone', () => tree.every((pid) => !alive(pid)), 5000);
      expect(Date.now() - stopAt).toBeLessThan(15_000);
    }, 240_000);
  });

  (external ? describe.skip : describe)('a database that is down at start-up', () => {
    const downDatabase = async () => `postgres://tiergate:hunter2@127.0.70.9:${await freePort()}/tiergate`;

    it('is retried with one line per attempt, then the process exits 1 with the clear line', async () => {
      const app = startScript('start:discovery', { DATABASE_URL: await downDatabase(), TIERGATE_SECRET_KEY: SECRET_KEY, TIERGATE__LIFECYCLE__START_RETRY_SECONDS: '3' });
      started.push(app);
      const exit = await within(app.exited, 120_000, 'start-up');
      const lines = app.output().split('\n');
      expect(exit).toEqual({ code: 1, signal: null });
      const attempts = lines.filter((l) => /the database at postgres:\/\/127\.0\.70\.9:\d+\/tiergate is not reachable \(attempt \d+: ECONNREFUSED\); retrying in/.test(l));
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(lines).toContainEqual(expect.stringMatching(/^cannot start discovery: cannot reach the database at postgres:\/\/127\.0\.70\.9:\d+\/tiergate: connect ECONNREFUSED/));
      expect(app.output()).not.toContain('hunter2');
    }, 150_000);

    it('SIGTERM during the retries stops at once with exit code 0', async () => {
      const app = startScript('start:discovery', { DATABASE_URL: await downDatabase(), TIERGATE_SECRET_KEY: SECRET_KEY, TIERGATE__LIFECYCLE__START_RETRY_SECONDS: '120' });
      started.push(app);
      await until('a retry', () => /is not reachable \(attempt 2/.test(app.output()), 120_000, app);
      const stopAt = Date.now();
      app.child.kill('SIGTERM');
      expect(await within(app.exited, 10_000, 'the stop')).toEqual({ code: 0, signal: null });
      expect(Date.now() - stopAt).toBeLessThan(3000);
      expect(app.output()).not.toMatch(/cannot start/);
    }, 150_000);
  });

  (external ? describe.skip : describe)('an error nobody handled', () => {
    it('is logged without its credentials, and the process stops gracefully with exit code 1', async () => {
      const app = startScript('start:discovery', { TIERGATE_DATA_DIR: join(dataDir, 'crash'), TIERGATE_SECRET_KEY: SECRET_KEY }, './test/lifecycle/fixtures/crash-later.js');
      started.push(app);
      const exit = await within(app.exited, 120_000, 'the crash');
      const out = app.output();
      expect(exit).toEqual({ code: 1, signal: null });
      expect(out).toMatch(/unhandled rejection: Error: camera adapter failed at rtsp:\/\/\*\*\*@10\.0\.0\.9\/stream/);
      expect(out).not.toContain('s3cret-pass');
      // The graceful stop ran (no "did not finish" line) and nothing was left running.
      expect(out).not.toMatch(/did not finish|exiting now/);
    }, 150_000);
  });
});
