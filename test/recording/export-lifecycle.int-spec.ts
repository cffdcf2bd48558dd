/**
 * Evidence exports after their creation (issue 14, docs/recording.md "Evidence export"):
 * - DELETE /api/exports/:id: role admin with the camera in their home subtree (an operator 403, an admin of
 *   another post 404 like missing); the worker deletes the MP4, the row goes, `recording.export.delete` is in
 *   the audit log with who and the hash. One process (gateway + worker), in both test modes.
 * - A worker killed (SIGKILL) mid-export: the row does not stay `running`. The restarted worker marks it
 *   `failed` with `worker-restarted` before it takes jobs, removes the job's temp files, and a new export then
 *   succeeds; the gateway deletes the failed one and the new one across processes. The worker runs as a child
 *   process on a scratch Postgres database (as the recorder's kill -9 test), the gateway in this process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Geometry } from '@tiergate/domain';
import { Fmp4Reader, locateFfmpeg } from '@tiergate/media';
import { createScratchDatabase, RecordingsRepository } from '@tiergate/persistence';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { WorkerDirectory } from '../../apps/gateway/src/live/worker.directory';
import { TranscoderHost } from '../../apps/transcoder/src/transcoder.host';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { seedCameras, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, type TestProcess } from '../support/harness';
import { childrenOf } from '../support/process-tree';
import { freePort } from '../support/tcp-relay';

jest.setTimeout(300_000);

const run = promisify(execFile);
const binaries = locateFfmpeg({ PATH: process.env.PATH });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

async function until<T>(what: () => Promise<T | undefined | false> | T | undefined | false, ms: number, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await sleep(every);
  }
}

interface Clip {
  init: Buffer;
  /** Keyframe-aligned groups of fragments of >= 4 s (the recorder's segments), with their duration (s). */
  segments: { data: Buffer; startS: number; durationS: number }[];
}

/** Real fMP4 as the worker's fragment feed carries it (1 s GOPs), split into 4 s recorder segments. */
async function recordClip(seconds: number, dir: string): Promise<Clip> {
  const file = join(dir, `clip-${seconds}.mp4`);
  await run(binaries.ffmpegPath, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '500k', '-g', '25', '-pix_fmt', 'yuv420p',
    '-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe', file], { timeout: 120_000 });
  const reader = new Fmp4Reader();
  let init: { data: Buffer; timescale: number } | undefined;
  const segments: Clip['segments'] = [];
  let building: { parts: Buffer[]; startS: number; durationS: number } | undefined;
  for (const e of reader.push(readFileSync(file))) {
    if (e.kind === 'init') init = e.init;
    else {
      const f = e.fragment;
      if (f.keyframe && building && building.durationS >= 4) {
        segments.push({ data: Buffer.concat(building.parts), startS: building.startS, durationS: building.durationS });
        building = undefined;
      }
      if (!building) {
        if (!f.keyframe) continue;
        building = { parts: [], startS: f.decodeTime / init!.timescale, durationS: 0 };
      }
      building.parts.push(f.data);
      building.durationS += f.durationSec;
    }
  }
  if (building) segments.push({ data: Buffer.concat(building.parts), startS: building.startS, durationS: building.durationS });
  return { init: init!.data, segments };
}

/**
 * Stores `clip` `times` times in a row from `startMs` (each copy 1 s after the previous one ends: a new run, as
 * a restarted ffmpeg's), laid out and indexed as the recorder does. Repeats are hard links of the first copy's
 * files: an hour of footage costs the disk one minute's bytes.
 */
async function store(repo: RecordingsRepository, on: { workerId: string; rootDir: string }, cameraId: string, clip: Clip, startMs: number, times = 1): Promise<number> {
  const hash = createHash('sha256').update(clip.init).digest('hex').slice(0, 16);
  const initPath = `${cameraId}/sub/init/${hash}.mp4`;
  mkdirSync(dirname(join(on.rootDir, initPath)), { recursive: true });
  writeFileSync(join(on.rootDir, initPath), clip.init);
  const clipMs = Math.round(clip.segments.reduce((n, s) => n + s.durationS, 0) * 1000);
  const firstFiles: string[] = [];
  let at0 = startMs;
  for (let t = 0; t < times; t++) {
    for (const [i, s] of clip.segments.entries()) {
      const at = at0 + Math.round(s.startS * 1000);
      const d = new Date(at);
      const path = `${cameraId}/sub/${d.toISOString().slice(0, 10).replace(/-/g, '')}/${d.toISOString().slice(11, 13)}/${at}-${hash}.m4s`;
      mkdirSync(dirname(join(on.rootDir, path)), { recursive: true });
      if (t === 0) {
        writeFileSync(join(on.rootDir, path), s.data);
        firstFiles.push(join(on.rootDir, path));
      } else linkSync(firstFiles[i]!, join(on.rootDir, path));
      await repo.insertSegment({ cameraId, profile: 'sub', workerId: on.workerId, rootId: 'r0', path, initPath, startAt: d, endAt: new Date(at + Math.round(s.durationS * 1000)), bytes: s.data.length, keepUntil: new Date(Date.now() + 86_400_000) });
    }
    at0 += clipMs + 1000;
  }
  return at0 - 1000;
}

async function waitForEnd(tg: TestProcess, id: string, token: string, ms = 60_000): Promise<Record<string, any>> {
  return until(async () => {
    const view = (await tg.call('GET', `/api/exports/${id}`, { token })).body;
    return view.state === 'done' || view.state === 'failed' ? view : undefined;
  }, ms, 50);
}

const exportFiles = (rootDir: string): string[] => (existsSync(join(rootDir, 'exports')) ? readdirSync(join(rootDir, 'exports')).sort() : []);

describe('evidence exports: delete, and a worker killed mid-export', () => {
  let work: string;
  let clip: Clip;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tg-export-life-'));
    clip = await recordClip(60, work);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe('DELETE /api/exports/:id (gateway and worker in one process)', () => {
    let tg: TestProcess;
    let rootDir: string;
    let admin: string;
    let operatorA: string;
    let adminB: string;
    let camA: string;
    const T0 = Math.floor((Date.now() - 20 * 60_000) / 1000) * 1000;

    beforeAll(async () => {
      rootDir = mkdtempSync(join(tmpdir(), 'tg-export-del-root-'));
      tg = await startTestProcess({ name: 'export-delete', modules: [GatewayModule, TranscoderModule], http: true }, {
        'recording.roots': JSON.stringify([{ id: 'r0', path: rootDir, quotaBytes: 1 << 30 }]),
        'transcoder.heartbeatMs': 300,
        'http.docs': 'on',
      });
      admin = await tg.login();
      const square = (x: number): Geometry => ({ type: 'Polygon', coordinates: [[[x, 41.7], [x + 0.1, 41.7], [x + 0.1, 41.8], [x, 41.8], [x, 41.7]]] });
      const ids = await seedJurisdictions(tg, [
        { code: 'XD', name: 'District', tier: 'sub-bureau', parentCode: null, geometry: { type: 'Polygon', coordinates: [[[123.3, 41.6], [123.7, 41.6], [123.7, 41.9], [123.3, 41.9], [123.3, 41.6]]] } },
        { code: 'XA', name: 'Post A', tier: 'post', parentCode: 'XD', geometry: square(123.4) },
        { code: 'XB', name: 'Post B', tier: 'post', parentCode: 'XD', geometry: square(123.55) },
      ]);
      [camA] = await seedCameras(tg, [{ name: 'garage A', lon: 123.45, lat: 41.75, jurisdictionId: ids.get('XA')! }]) as [string];
      operatorA = await userToken(tg, admin, 'exp-op-a', 'operator', ids.get('XA')!);
      adminB = await userToken(tg, admin, 'exp-admin-b', 'admin', ids.get('XB')!);
      await store(tg.running.app.get(RecordingsRepository), { workerId: tg.running.app.get(TranscoderHost).workerId, rootDir }, camA, clip, T0);
    });

    afterAll(async () => {
      await tg?.stop();
      rmSync(rootDir, { recursive: true, force: true });
    });

    it('an admin of the camera’s scope deletes it: the file on the worker, the row, audited with who and the hash; others may not', async () => {
      const created = await tg.call('POST', `/api/cameras/${camA}/exports`, { token: operatorA, body: { from: iso(T0), to: iso(T0 + 20_000), reason: 'bike theft 14-0301' } });
      expect(created.status).toBe(201);
      const done = await waitForEnd(tg, created.body.id, operatorA);
      expect(done).toMatchObject({ state: 'done', failure: null, failureDetail: null });
      expect(exportFiles(rootDir)).toEqual([`${done.id}.mp4`]);

      // the operator who made it may not delete evidence; an admin of another post sees it as missing
      const byOperator = await tg.call('DELETE', `/api/exports/${done.id}`, { token: operatorA });
      expect([byOperator.status, byOperator.body.code]).toEqual([403, 'FORBIDDEN']);
      const byOtherPost = await tg.call('DELETE', `/api/exports/${done.id}`, { token: adminB });
      const missing = await tg.call('DELETE', '/api/exports/00000000-0000-4000-8000-000000000000', { token: adminB });
      expect([byOtherPost.status, byOtherPost.body]).toEqual([404, { code: 'NOT_FOUND', message: 'export not found' }]);
      expect([missing.status, missing.body]).toEqual([byOtherPost.status, byOtherPost.body]);
      expect(exportFiles(rootDir)).toEqual([`${done.id}.mp4`]);

      const deleted = await tg.call('DELETE', `/api/exports/${done.id}`, { token: admin });
      expect(deleted.status).toBe(204);
      expect(exportFiles(rootDir)).toEqual([]);
      expect((await tg.call('GET', `/api/exports/${done.id}`, { token: admin })).status).toBe(404);
      expect((await tg.call('GET', `/api/exports/${done.id}/download`, { token: admin })).status).toBe(404);
      expect((await tg.call('DELETE', `/api/exports/${done.id}`, { token: admin })).status).toBe(404);
      const audit = await tg.call('GET', '/api/audit?action=recording.export.delete', { token: admin });
      const entries = JSON.stringify(audit.body);
      expect(entries).toContain(done.sha256);
      expect(entries).toContain(done.id);
      expect(entries).toContain('"actorName":"admin"');
      expect(entries).toContain('"fileDeleted":true');
    });

    it('is in the OpenAPI document', async () => {
      const doc = await tg.call('GET', '/api/docs/openapi.json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths['/api/exports/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']));
      expect(doc.body.paths['/api/exports/{id}'].delete.responses).toHaveProperty('204');
    });
  });

  describe('a transcoder worker killed mid-export (worker as a child process, Postgres)', () => {
    const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const WORKER = 'export-kill-1';
    let available = true;
    let scratch: { url: string; drop(): Promise<void> } | undefined;
    let host: TestProcess;
    let child: ChildProcess | undefined;
    let childOutput = '';
    let rootDir: string;
    let mqttPort: number;
    let admin: string;
    let camera: string;
    let longEnd: number;
    const T0 = Math.floor((Date.now() - 3 * 3600_000) / 1000) * 1000;

    function startWorker(): ChildProcess {
      const c = spawn(process.execPath, ['-r', './test/support/ts-register.js', 'apps/transcoder/src/main.ts'], {
        cwd: join(__dirname, '..', '..'),
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: scratch!.url,
          MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
          TIERGATE_SECRET_KEY: 'integration-test-secret-key',
          TIERGATE_WORKER_ID: WORKER,
          TIERGATE_DATA_DIR: join(rootDir, '..', 'kill-data'),
          TIERGATE__RECORDING__ROOTS: `r0=${rootDir}:1g`,
          TIERGATE__RECORDING__MIN_FREE_BYTES: '0',
          TIERGATE__TRANSCODER__HEARTBEAT_MS: '500',
          TIERGATE_LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      c.stdout!.on('data', (d: Buffer) => (childOutput += d.toString()));
      c.stderr!.on('data', (d: Buffer) => (childOutput += d.toString()));
      return c;
    }

    /** The worker started at `since` takes export commands once its heartbeat is heard (it serves them before it beats). */
    const workerHeard = (since: number) => until(() => host.running.app.get(WorkerDirectory).heardSince(WORKER, since), 90_000, 200).catch((err) => {
      throw new Error(`${err}; the worker said: ${childOutput.slice(-3000)}`);
    });

    beforeAll(async () => {
      try {
        scratch = await createScratchDatabase(serverUrl);
      } catch {
        available = false;
        return;
      }
      rootDir = join(mkdtempSync(join(tmpdir(), 'tg-export-kill-')), 'r0');
      mkdirSync(rootDir);
      mqttPort = await freePort('127.0.0.1');
      // this process hosts the broker (embedded, on a known port) and the gateway; the worker is the child
      host = await startTestProcess({ name: 'export-kill-host', modules: [GatewayModule], http: true }, { 'database.url': scratch.url, 'mqtt.url': '', 'mqtt.embeddedPort': mqttPort, 'transcoder.heartbeatMs': 500 });
      admin = await host.login();
      const ids = await seedJurisdictions(host, [{ code: 'KD', name: 'District', tier: 'sub-bureau', parentCode: null, geometry: { type: 'Polygon', coordinates: [[[123.3, 41.6], [123.7, 41.6], [123.7, 41.9], [123.3, 41.9], [123.3, 41.6]]] } }]);
      [camera] = await seedCameras(host, [{ name: 'garage K', lon: 123.45, lat: 41.75, jurisdictionId: ids.get('KD')! }]) as [string];
      // one hour of footage (60 one-minute runs, ~225 MB to copy): the export takes seconds, long enough to kill it
      longEnd = await store(host.running.app.get(RecordingsRepository), { workerId: WORKER, rootDir }, camera, clip, T0, 60);
    });

    afterAll(async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child!.once('exit', r));
      }
      await host?.stop();
      await scratch?.drop().catch(() => undefined);
      if (rootDir) rmSync(join(rootDir, '..'), { recursive: true, force: true });
    });

    it('the restarted worker marks the row failed (worker-restarted) and removes its temp files; a new export succeeds; both can be deleted', async () => {
      if (!available) {
        console.warn(`export kill test skipped: no Postgres at ${serverUrl}`);
        return;
      }
      const startedAt = Date.now();
      child = startWorker();
      await workerHeard(startedAt);
      const created = await host.call('POST', `/api/cameras/${camera}/exports`, { token: admin, body: { from: iso(T0), to: iso(longEnd), reason: 'kill mid-export check' } });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      // mid-job: running, some progress made, its temp files on disk
      const running = await until(async () => {
        const v = (await host.call('GET', `/api/exports/${id}`, { token: admin })).body;
        return v.state === 'running' && v.progress >= 0.05 && exportFiles(rootDir).some((f) => f.startsWith(id) && f.endsWith('.tmp')) ? v : v.state === 'done' || v.state === 'failed' ? v : undefined;
      }, 60_000, 20);
      expect(running.state).toBe('running'); // not already over: the range is long enough to be killed mid-job
      const ffmpegs = childrenOf(child.pid!);
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      for (const pid of ffmpegs) if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL'); // don't wait for ffmpeg to notice its dead parent
      const tempsAtKill = exportFiles(rootDir).filter((f) => f.startsWith(id));
      expect(tempsAtKill.length).toBeGreaterThan(0);
      expect(tempsAtKill.every((f) => f.endsWith('.tmp'))).toBe(true);
      // dead: the row says running; nothing else writes it
      await sleep(1500);
      expect((await host.call('GET', `/api/exports/${id}`, { token: admin })).body.state).toBe('running');

      // another worker's unfinished export: not this worker's to fail
      const repo = host.running.app.get(RecordingsRepository);
      const foreign = await repo.createExport({ cameraId: camera, profile: 'sub', from: new Date(T0), to: new Date(T0 + 60_000), reason: 'another worker’s job', createdBy: null, workerId: 'export-kill-other' });
      await repo.updateExport(foreign.id, { state: 'running', progress: 0.5 });

      childOutput = '';
      const restartedAt = Date.now();
      child = startWorker();
      const failed = await waitForEnd(host, id, admin, 90_000).catch((err) => {
        throw new Error(`${err}; the restarted worker said: ${childOutput.slice(-3000)}`);
      });
      expect(failed).toMatchObject({ id, state: 'failed', failure: 'worker-restarted', failureDetail: null, sha256: null });
      expect(Date.parse(failed.finishedAt)).toBeGreaterThanOrEqual(restartedAt - 1000);
      expect(exportFiles(rootDir)).toEqual([]); // the killed job's temp files are gone
      expect(await repo.getExport(foreign.id)).toMatchObject({ state: 'running', failure: null });

      // the restarted worker takes new jobs: a short export to the end
      await workerHeard(restartedAt);
      const again = await host.call('POST', `/api/cameras/${camera}/exports`, { token: admin, body: { from: iso(T0), to: iso(T0 + 120_000), reason: 'export after the restart' } });
      expect(again.status).toBe(201);
      const done = await waitForEnd(host, again.body.id, admin);
      expect(done).toMatchObject({ state: 'done', progress: 1, failure: null, failureDetail: null });
      const res = await fetch(`${host.url}/api/exports/${done.id}/download`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(done.sha256);
      expect(exportFiles(rootDir)).toEqual([`${done.id}.mp4`]);

      // deleted over the bus by the worker in the other process: the failed one (no file) and the done one (its MP4)
      expect((await host.call('DELETE', `/api/exports/${id}`, { token: admin })).status).toBe(204);
      expect((await host.call('DELETE', `/api/exports/${done.id}`, { token: admin })).status).toBe(204);
      expect(exportFiles(rootDir)).toEqual([]);
      expect((await host.call('GET', `/api/exports/${done.id}`, { token: admin })).status).toBe(404);

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
      expect(code).toBe(0);
    });
  });
});
