/**
 * The worker records (issue 14, docs/recording.md): a simulated camera -> the session's one ffmpeg -> its fMP4
 * fragment feed -> StreamRecorder -> segments on disk and rows in the index. The plan is published on the bus,
 * signed, as the acting partitioner publishes it. Covers: continuous recording with consecutive times; a camera
 * stopped ~6 s leaves a gap of about that length and no broken file (ffprobe of init + segment, every file);
 * retention from the plan entry and by keepUntil (a hold keeps its segment), quota pruning oldest first and no
 * more than needed; a full disk (a real 8 MiB tmpfs) -> state disk-full, writing stops cleanly, resumes when
 * space is freed; kill -9 of a recording worker process mid-segment -> at most the segment being written is
 * lost, and after a restart the index equals the disk.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { RecordingTopics, type RecordingPlanMessage, type RecordingStateMessage } from '@tiergate/contracts';
import { locateFfmpeg } from '@tiergate/media';
import { CameraEntity, createScratchDatabase, RecordingsRepository, type RecordingSegmentRecord } from '@tiergate/persistence';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src/fleet';
import { TranscoderHost } from '../../apps/transcoder/src/transcoder.host';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { startTestProcess, type TestProcess } from '../support/harness';
import { childrenOf } from '../support/process-tree';
import { freePort } from '../support/tcp-relay';

jest.setTimeout(240_000);

const run = promisify(execFile);
const bins = locateFfmpeg({ PATH: process.env.PATH });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NET = '127.0.71'; // this file's camera addresses
const DAY = 86_400_000;
const fast = { 'transcoder.restartBaseMs': 250, 'transcoder.restartMaxMs': 1000, 'transcoder.heartbeatMs': 500, 'log.level': 'warn' };

async function until<T>(what: () => Promise<T | undefined | false> | T | undefined | false, ms: number, every = 250): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await sleep(every);
  }
}

/** Decodes init + segment with ffprobe: frames counted, no error printed. */
async function probeSegment(rootDir: string, row: Pick<RecordingSegmentRecord, 'path' | 'initPath'>, work: string): Promise<number> {
  const file = join(work, `probe-${randomUUID()}.mp4`);
  const { readFileSync } = await import('node:fs');
  writeFileSync(file, Buffer.concat([readFileSync(join(rootDir, row.initPath)), readFileSync(join(rootDir, row.path))]));
  const { stdout, stderr } = await run(bins.ffprobePath, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { timeout: 30_000 });
  rmSync(file);
  expect(stderr.trim()).toBe('');
  return Number(stdout.trim());
}

/** Every segment file under a root (relative paths), and every .tmp. */
function filesOf(rootDir: string): { segments: string[]; tmp: string[] } {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = join(rootDir, rel);
    if (!existsSync(abs)) return;
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk('');
  return { segments: out.filter((f) => f.endsWith('.m4s')).sort(), tmp: out.filter((f) => f.endsWith('.tmp')) };
}

/**
 * This file's plan versions count up from its start time in ms, as an acting partitioner's do (its lease fence is
 * never below the clock): a retained plan another test file's partitioner left on a shared broker is older.
 */
const PLAN_BASE = Date.now();
function planOf(version: number, entries: RecordingPlanMessage['entries']): RecordingPlanMessage {
  return { version: PLAN_BASE + version, compiledAt: new Date().toISOString(), compiledBy: 'recorder-int-spec', entries };
}

async function addCamera(tg: TestProcess, rtspUrl: string | null): Promise<string> {
  const id = randomUUID();
  await tg.running.infra.database.dataSource.getRepository(CameraEntity).insert({ id, name: `rec ${id.slice(0, 4)}`, lon: 123.4, lat: 41.7, jurisdictionId: null, tags: [], profiles: [], rtspUrl });
  return id;
}

describe('recording on a transcoder worker (real camera sim, ffmpeg, index)', () => {
  let fleet: Fleet;
  let work: string;
  const subUrl = (i: number) => fleet.cameras[i]!.subRtspUrl.replace('rtsp://', 'rtsp://admin:sim-pass@');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tg-recorder-work-'));
    fleet = await startCameraFleet({ count: 3, firstAddress: `${NET}.1`, onvifPort: 39180, rtspPort: 39654, discoveryPort: 39802 });
  });

  afterAll(async () => {
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  describe('continuous recording, a camera that drops, a graceful stop', () => {
    let tg: TestProcess;
    let rootDir: string;
    let camera: string;
    let workerId: string;
    let repo: RecordingsRepository;
    const rows = async () => repo.segmentsOfRoot(workerId, 'r0', { limit: 10_000 });

    beforeAll(async () => {
      rootDir = mkdtempSync(join(tmpdir(), 'tg-recorder-root-'));
      tg = await startTestProcess({ name: 'recorder-a', modules: [TranscoderModule], http: false }, {
        ...fast,
        'recording.roots': JSON.stringify([{ id: 'r0', path: rootDir, quotaBytes: 1 << 30 }]),
        'recording.minFreeBytes': 0,
      });
      workerId = tg.running.app.get(TranscoderHost).workerId;
      repo = tg.running.app.get(RecordingsRepository);
      camera = await addCamera(tg, subUrl(0));
      await tg.running.infra.bus.publish(RecordingTopics.plan, planOf(1, [{ cameraId: camera, profile: 'sub', mode: 'continuous', retentionDays: 7, workerId, ruleIds: ['rule-1'] }]), { retain: true });
    });

    afterAll(async () => {
      await tg?.running.infra.bus.clearRetained(RecordingTopics.plan).catch(() => undefined);
      await tg?.stop();
      rmSync(rootDir, { recursive: true, force: true });
    });

    it('records for ~20 s: keyframe-aligned segments of >= 4 s on disk and in the index, consecutive, kept retentionDays', async () => {
      const segs = await until(async () => ((await rows()).length >= 4 ? rows() : undefined), 40_000);
      for (const s of segs) {
        const d = s.endAt.getTime() - s.startAt.getTime();
        expect(d).toBeGreaterThanOrEqual(4000);
        expect(d).toBeLessThan(6000); // 1 s GOPs: the first keyframe after 4 s
        expect(s.keepUntil.getTime() - s.endAt.getTime()).toBe(7 * DAY);
        expect(statSync(join(rootDir, s.path)).size).toBe(s.bytes);
        expect(s.path.startsWith(`${camera}/sub/`)).toBe(true);
      }
      for (let i = 1; i < segs.length; i++) expect(Math.abs(segs[i]!.startAt.getTime() - segs[i - 1]!.endAt.getTime())).toBeLessThanOrEqual(50);
      expect(filesOf(rootDir).segments).toEqual(segs.map((s) => s.path).sort());
      // the session is pinned: nobody watches, it stays (idle close is 30 s; the plan holds it)
      expect(tg.running.app.get(TranscoderHost).worker!.sessionStates().map((s) => s.state)).toEqual(['ready']);
    });

    it('a camera stopped ~6 s leaves a gap of about that length in the index and no broken file', async () => {
      const before = (await rows()).length;
      const cam = fleet.cameras[0]!;
      const downAt = Date.now();
      await cam.goOffline();
      await sleep(6000);
      await cam.goOnline();
      const upAt = Date.now();
      const segs = await until(async () => {
        const all = await rows();
        return all.filter((s) => s.startAt.getTime() > upAt - 1000).length >= 2 ? all : undefined;
      }, 40_000);
      expect(segs.length).toBeGreaterThan(before);
      const gaps = segs.slice(1).map((s, i) => ({ from: segs[i]!.endAt.getTime(), to: s.startAt.getTime() })).filter((g) => g.to - g.from > 1500);
      expect(gaps).toHaveLength(1);
      const gap = gaps[0]!;
      expect(gap.from).toBeGreaterThan(downAt - 5000); // the segment cut short by the drop is kept (it began with a keyframe)
      expect(gap.from).toBeLessThanOrEqual(downAt + 1000);
      expect(gap.to - gap.from).toBeGreaterThanOrEqual(5000);
      expect(gap.to - gap.from).toBeLessThan(6000 + 4000); // restart backoff ≤ 1 s plus ffmpeg's start
      // the new ffmpeg run's init: content-addressed, so byte-identical parameters share one file; no stray init
      expect(readdirSync(join(rootDir, camera, 'sub', 'init')).map((f) => `${camera}/sub/init/${f}`).sort()).toEqual([...new Set(segs.map((s) => s.initPath))].sort());
      let frames = 0;
      for (const s of segs) frames += await probeSegment(rootDir, s, work);
      const seconds = segs.reduce((n, s) => n + (s.endAt.getTime() - s.startAt.getTime()) / 1000, 0);
      expect(frames).toBeGreaterThanOrEqual(Math.floor(seconds * 25) - segs.length);
      // recording went on meanwhile: every file on disk has its row (a row follows its file's rename within ms)
      await until(async () => {
        const now = new Set((await rows()).map((s) => s.path));
        return filesOf(rootDir).segments.every((f) => now.has(f)) && segs.every((s) => now.has(s.path));
      }, 5000, 100);
    });

    it('publishes the stream\'s recording state (retained) with bytes per second', async () => {
      const states: RecordingStateMessage[] = [];
      const subscribedAt = Date.now();
      const off = await tg.running.infra.bus.subscribe(RecordingTopics.state(camera, 'sub'), (_t, p) => void states.push(p as RecordingStateMessage));
      // retained: a subscriber gets the last state at once, without waiting for the next publish
      await until(() => states[0], 2000);
      // then a fresh one within STATE_EVERY_MS (10 s); the retained one may be up to that old
      const state = await until(() => states.find((s) => s.state === 'recording' && s.bytesPerSecond > 0 && Date.parse(s.at) >= subscribedAt - 1000), 20_000);
      await off();
      expect(state.workerId).toBe(workerId);
      expect(state.mode).toBe('continuous');
      expect(state.bytesPerSecond).toBeGreaterThan(20_000); // a 500 kbit/s sub stream: ~60 kB/s
      // the newest closed segment ended at most about two 4 s segments before the message was sent
      const sinceSegment = Date.parse(state.at) - Date.parse(state.lastSegmentEnd!);
      expect(sinceSegment).toBeGreaterThanOrEqual(0);
      expect(sinceSegment).toBeLessThanOrEqual(2 * 4000 + 3000);
    });

    it('a graceful stop writes the segment being built; index and disk agree', async () => {
      const before = await rows();
      await sleep(1500); // mid-segment
      await tg.running.app.get(TranscoderHost).stop({ announceLeave: true });
      const after = await rows();
      // at least the segment being built (another may have completed before the stop reached the recorder)
      expect(after.length).toBeGreaterThanOrEqual(before.length + 1);
      expect(after.length).toBeLessThanOrEqual(before.length + 2);
      for (let i = before.length; i < after.length; i++) expect(after[i]!.startAt.getTime()).toBe(after[i - 1]!.endAt.getTime());
      const last = after[after.length - 1]!;
      await probeSegment(rootDir, last, work);
      expect(filesOf(rootDir)).toEqual({ segments: after.map((s) => s.path).sort(), tmp: [] });
    });
  });

  describe('retention, quota and a full disk (a real 8 MiB tmpfs)', () => {
    let tg: TestProcess;
    let tmpfsDir: string;
    let otherDir: string;
    let mounted = false;
    let camera: string;
    let quiet: string;
    let workerId: string;
    let repo: RecordingsRepository;
    const QUOTA = 1_500_000;
    const MIN_FREE = 2 * 1024 * 1024;
    const rowsOf = async (root: string) => repo.segmentsOfRoot(workerId, root, { limit: 10_000 });
    const states: RecordingStateMessage[] = [];

    beforeAll(async () => {
      tmpfsDir = mkdtempSync(join(tmpdir(), 'tg-recorder-tmpfs-'));
      otherDir = mkdtempSync(join(tmpdir(), 'tg-recorder-r1-'));
      await run('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', tmpfsDir]);
      mounted = true;
      tg = await startTestProcess({ name: 'recorder-b', modules: [TranscoderModule], http: false }, {
        ...fast,
        // r1 has little room by its quota: the recorder picks r0 (most room); r1 holds the retention rows
        'recording.roots': JSON.stringify([{ id: 'r0', path: tmpfsDir, quotaBytes: QUOTA }, { id: 'r1', path: otherDir, quotaBytes: 100_000 }]),
        'recording.minFreeBytes': MIN_FREE,
        'recording.pruneIntervalSeconds': 1,
        'log.level': 'info',
      });
      workerId = tg.running.app.get(TranscoderHost).workerId;
      repo = tg.running.app.get(RecordingsRepository);
      camera = await addCamera(tg, subUrl(1));
      quiet = await addCamera(tg, null);
      await tg.running.infra.bus.subscribe(RecordingTopics.state(camera, 'sub'), (_t, p) => void states.push(p as RecordingStateMessage));
    });

    afterAll(async () => {
      await tg?.running.infra.bus.clearRetained(RecordingTopics.plan).catch(() => undefined);
      await tg?.stop();
      if (mounted) await run('umount', [tmpfsDir]).catch(() => undefined);
      rmSync(tmpfsDir, { recursive: true, force: true });
      rmSync(otherDir, { recursive: true, force: true });
    });

    it('retention: segments past keepUntil are deleted (file, then row), a held one and unexpired ones are kept', async () => {
      const now = Date.now();
      const seg = (h: number, keepUntil: number) => ({ path: `${quiet}/sub/x/${h}.m4s`, startAt: now - h * 3_600_000, keepUntil });
      const planted = [seg(5, now - 60_000), seg(4, now - 1000), seg(3, now + 3_600_000), seg(2, now - 500)];
      for (const p of planted) {
        mkdirSync(join(otherDir, quiet, 'sub', 'x'), { recursive: true });
        writeFileSync(join(otherDir, p.path), Buffer.alloc(1000));
        await repo.insertSegment({ cameraId: quiet, profile: 'sub', workerId, rootId: 'r1', path: p.path, initPath: `${quiet}/sub/init/0000000000000000.mp4`, startAt: new Date(p.startAt), endAt: new Date(p.startAt + 4000), bytes: 1000, keepUntil: new Date(p.keepUntil) });
      }
      await repo.createHold({ cameraId: quiet, from: new Date(now - 2 * 3_600_000 - 1000), to: new Date(now - 2 * 3_600_000 + 1000), reason: 'case 14', createdBy: null });
      const left = await until(async () => {
        const r = await rowsOf('r1');
        return r.length === 2 ? r : undefined;
      }, 10_000);
      expect(left.map((r) => r.path).sort()).toEqual([planted[2]!.path, planted[3]!.path].sort()); // unexpired, and expired but held
      expect(readdirSync(join(otherDir, quiet, 'sub', 'x')).sort()).toEqual(['2.m4s', '3.m4s']);
    });

    it('quota: recording keeps the root under quotaBytes by deleting its oldest segments; keepUntil follows the plan entry (buffer minutes)', async () => {
      await tg.running.infra.bus.publish(RecordingTopics.plan, planOf(10, [{ cameraId: camera, profile: 'sub', mode: 'continuous', retentionDays: 2, workerId, ruleIds: ['r'] }]), { retain: true, qos: 1 });
      // every row ever seen on r0 (polled faster than a segment lives), to tell which ones pruning took
      const seen = new Map<string, RecordingSegmentRecord>();
      const poller = setInterval(() => void rowsOf('r0').then((r) => r.forEach((s) => seen.set(s.id, s)), () => undefined), 300);
      try {
      // ~62 kB/s: 1.5 MB is about 6 segments; record until the oldest went
      const deletedSome = await until(async () => {
        const r = await rowsOf('r0');
        return r.length > 0 && r[0]!.startAt.getTime() > (firstStart ??= r[0]!.startAt.getTime()) ? r : undefined;
      }, 90_000, 500);
      expect(deletedSome.every((s) => s.keepUntil.getTime() - s.endAt.getTime() === 2 * DAY)).toBe(true);
      // a newer plan turns it into a buffer stream: new segments are kept bufferMinutes
      await tg.running.infra.bus.publish(RecordingTopics.plan, planOf(11, [{ cameraId: camera, profile: 'sub', mode: 'buffer', bufferMinutes: 3, retentionDays: 2, ruleIds: ['r'] }]), { retain: true, qos: 1 });
      const buffered = await until(async () => (await rowsOf('r0')).find((s) => s.keepUntil.getTime() - s.endAt.getTime() === 3 * 60_000), 20_000);
      // an older plan (version 9, without the stream) is ignored: it goes on being recorded as a buffer stream
      await tg.running.infra.bus.publish(RecordingTopics.plan, planOf(9, []), { retain: false, qos: 1 });
      await until(async () => (await rowsOf('r0')).find((s) => s.startAt.getTime() >= buffered.endAt.getTime() && s.keepUntil.getTime() - s.endAt.getTime() === 3 * 60_000), 20_000);
      expect(states.some((s) => s.state === 'stopped')).toBe(false);
      // the plan goes: recording stops, one more prune pass, then the quota rule holds exactly
      await tg.running.infra.bus.publish(RecordingTopics.plan, planOf(12, []), { retain: true, qos: 1 });
      await until(() => states.some((s) => s.state === 'stopped' && Date.parse(s.at) > Date.now() - 5000), 10_000);
      await sleep(500);
      await tg.running.app.get(TranscoderHost).recordingManager!.pruneAll();
      } finally {
        clearInterval(poller);
      }
      const left = await rowsOf('r0');
      left.forEach((s) => seen.set(s.id, s));
      const all = [...seen.values()].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
      const inits = readdirSync(join(tmpfsDir, camera, 'sub', 'init')).reduce((n, f) => n + statSync(join(tmpfsDir, camera, 'sub', 'init', f)).size, 0);
      const used = left.reduce((n, s) => n + s.bytes, 0) + inits;
      expect(used).toBeLessThanOrEqual(QUOTA);
      // what is left is the newest segments; deleting one less would have stayed over the quota
      const gone = all.filter((s) => !left.some((l) => l.id === s.id));
      expect(left.map((s) => s.id)).toEqual(all.slice(all.length - left.length).map((s) => s.id));
      if (gone.length > 0) expect(used + gone[gone.length - 1]!.bytes).toBeGreaterThan(QUOTA);
      expect(filesOf(tmpfsDir).segments).toEqual(left.map((s) => s.path).sort());
    });
    let firstStart: number | undefined;

    it('a full disk: state disk-full, no .tmp left, nothing indexed; writing resumes once space is freed', async () => {
      // keep the session watched (a buffer stream records what viewers watch): record continuously again
      await tg.running.infra.bus.publish(RecordingTopics.plan, planOf(20, [{ cameraId: camera, profile: 'sub', mode: 'continuous', retentionDays: 1, workerId, ruleIds: ['r'] }]), { retain: true, qos: 1 });
      await until(async () => (await rowsOf('r0')).some((s) => s.startAt.getTime() > Date.now() - 8000), 30_000);
      const free = statfsSync(tmpfsDir).bavail * statfsSync(tmpfsDir).bsize;
      const filler = join(tmpfsDir, 'filler.bin');
      writeFileSync(filler, Buffer.alloc(Math.max(0, free - 1024 * 1024))); // leaves 1 MiB: below minFreeBytes (2 MiB)
      const fullAt = Date.now();
      const full = await until(() => states.find((s) => s.state === 'disk-full' && Date.parse(s.at) >= fullAt - 1000), 15_000);
      expect(full.reason).toMatch(/below recording.minFreeBytes|ENOSPC/);
      const metrics = await (await import('prom-client')).register.getSingleMetricAsString('tiergate_recording_disk_full');
      expect(metrics).toMatch(new RegExp(`tiergate_recording_disk_full\\{worker="${workerId}",root="r0"\\} 1`));
      const during = (await rowsOf('r0')).length;
      await sleep(9000);
      expect((await rowsOf('r0')).length).toBe(during); // nothing written while full
      expect(filesOf(tmpfsDir).tmp).toEqual([]);
      rmSync(filler);
      const freedAt = Date.now();
      await until(() => states.find((s) => s.state === 'recording' && Date.parse(s.at) >= freedAt - 500), 20_000);
      const resumed = await until(async () => {
        const r = await rowsOf('r0');
        return r.length > during ? r : undefined;
      }, 20_000);
      const last = resumed[resumed.length - 1]!;
      await probeSegment(tmpfsDir, last, work);
      expect(Date.now() - freedAt).toBeLessThan(20_000); // retried every 10 s
    });
  });

  describe('kill -9 of a recording worker process mid-segment (Postgres, worker as a child process)', () => {
    const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    let available = true;
    let scratch: { url: string; drop(): Promise<void> } | undefined;
    let host: TestProcess;
    let child: ChildProcess | undefined;
    let rootDir: string;
    let camera: string;
    let db: Client;
    const WORKER = 'rec-kill-1';
    let childOutput = '';
    let republish: NodeJS.Timeout | undefined;
    let mqttPort: number;

    const rows = async (): Promise<{ id: string; path: string; startAt: Date; endAt: Date }[]> =>
      (await db.query(`SELECT id::text AS id, path, "startAt", "endAt" FROM recording_segments WHERE "workerId" = $1 AND "rootId" = 'r0' ORDER BY "startAt"`, [WORKER])).rows;

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

    beforeAll(async () => {
      try {
        scratch = await createScratchDatabase(serverUrl);
      } catch {
        available = false;
        return;
      }
      rootDir = join(mkdtempSync(join(tmpdir(), 'tg-recorder-kill-')), 'r0');
      mkdirSync(rootDir);
      mqttPort = await freePort('127.0.0.1');
      // this process hosts the broker (embedded, on a known port) and reads the index; it runs no worker
      host = await startTestProcess({ name: 'recorder-kill-host', modules: [], http: false }, { 'database.url': scratch.url, 'mqtt.url': '', 'mqtt.embeddedPort': mqttPort });
      db = new Client({ connectionString: scratch.url });
      await db.connect();
      camera = await addCamera(host, subUrl(2));
      // as the acting partitioner does: the plan again every few seconds (a retained signed message goes stale)
      const publishPlan = () => host.running.infra.bus.publish(RecordingTopics.plan, planOf(1, [{ cameraId: camera, profile: 'sub', mode: 'continuous', retentionDays: 1, workerId: WORKER, ruleIds: ['k'] }]), { retain: true, qos: 1 });
      await publishPlan();
      republish = setInterval(() => void publishPlan().catch(() => undefined), 5000);
    });

    afterAll(async () => {
      clearInterval(republish);
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await db?.end().catch(() => undefined);
      await host?.stop();
      await scratch?.drop().catch(() => undefined);
      if (rootDir) rmSync(join(rootDir, '..'), { recursive: true, force: true });
    });

    it('loses at most the segment being written; after a restart the index equals the disk', async () => {
      if (!available) {
        console.warn(`kill -9 test skipped: no Postgres at ${serverUrl}`);
        return;
      }
      child = startWorker();
      const before = await until(async () => ((await rows()).length >= 3 ? rows() : undefined), 90_000, 300).catch((err) => {
        throw new Error(`${err}; the worker said: ${childOutput.slice(-3000)}`);
      });
      // mid-segment: ~2 s after the newest segment was indexed
      const newest = before[before.length - 1]!;
      await until(() => Date.now() > newest.endAt.getTime() + 2000, 10_000, 50);
      const indexedAtKill = await rows();
      const ffmpegs = childrenOf(child.pid!);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      await sleep(1000);
      for (const pid of ffmpegs) if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL'); // ffmpeg notices its dead parent by its pipe; don't wait for it
      // every segment indexed before the kill is on disk; the one being built (< 6 s) is the only loss
      const disk = filesOf(rootDir);
      for (const r of indexedAtKill) expect(disk.segments).toContain(r.path);
      expect(killedAt - indexedAtKill[indexedAtKill.length - 1]!.endAt.getTime()).toBeLessThan(6000 + 1500);
      // a stray .tmp as a write cut short leaves it, and a row whose file is gone
      writeFileSync(join(rootDir, `${disk.segments[0]}.tmp`), Buffer.from('cut short'));
      rmSync(join(rootDir, indexedAtKill[0]!.path));
      childOutput = '';
      child = startWorker();
      await until(async () => (await rows()).some((r) => r.startAt.getTime() > killedAt), 90_000, 300).catch((err) => {
        throw new Error(`${err}; the restarted worker said: ${childOutput.slice(-3000)}`);
      });
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
      expect(code).toBe(0);
      const after = await rows();
      expect(filesOf(rootDir)).toEqual({ segments: after.map((r) => r.path).sort(), tmp: [] });
      expect(after.some((r) => r.id === indexedAtKill[0]!.id)).toBe(false);
      for (const r of indexedAtKill.slice(1)) expect(after.some((a) => a.id === r.id)).toBe(true);
    });
  });
});
