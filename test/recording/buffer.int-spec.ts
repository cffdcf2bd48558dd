/**
 * Instant replay (issue 14: "a rolling buffer that keeps the last N minutes of any stream that is being
 * watched"), docs/recording.md "Rules" and "The recording worker": a `buffer` rule with `bufferMinutes` over
 * two simulated cameras (by tag). One process: the partitioner publishes the plan from the rule, the gateway
 * serves a viewer, the worker records what it holds for viewers.
 * - the watched camera is recorded (segments kept bufferMinutes: keepUntil = endAt + N min);
 * - segments older than N minutes are pruned (rows and files) while it goes on being recorded, and the last
 *   N minutes play back;
 * - the camera nobody watches is never recorded (no pull is opened for it);
 * - once the viewer has gone and the session idled out, recording stops.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@tiergate/access';
import { RecordingTopics, type RecordingPlanMessage } from '@tiergate/contracts';
import { CameraEntity, RecordingsRepository, type RecordingSegmentRecord } from '@tiergate/persistence';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { TranscoderHost } from '../../apps/transcoder/src/transcoder.host';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { seedJurisdictions } from '../support/district.fixture';
import { startTestProcess, type TestProcess } from '../support/harness';

jest.setTimeout(300_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();
const BUFFER_MINUTES = 1;
const BUFFER_MS = BUFFER_MINUTES * 60_000;
const PRUNE_S = 2;
const IDLE_CLOSE_MS = 6000;

async function until<T>(what: () => Promise<T | undefined | false> | T | undefined | false, ms: number, every = 250): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await sleep(every);
  }
}

describe('a buffer rule keeps the last N minutes of watched streams only (instant replay)', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let rootDir: string;
  let admin: string;
  let watched: string;
  let unwatched: string;
  let repo: RecordingsRepository;
  const rowsOf = (cameraId: string) => repo.segmentsOf(cameraId, 'sub', new Date(Date.now() - 3600_000), new Date(Date.now() + 60_000));

  beforeAll(async () => {
    rootDir = mkdtempSync(join(tmpdir(), 'tg-rec-buffer-'));
    fleet = await startCameraFleet({ count: 2, firstAddress: '127.0.72.1', onvifPort: 39280, rtspPort: 39754, discoveryPort: 39902 });
    tg = await startTestProcess({ name: 'recording-buffer', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true }, {
      'recording.roots': JSON.stringify([{ id: 'r0', path: rootDir, quotaBytes: 1 << 30 }]),
      'recording.minFreeBytes': 0,
      'recording.pruneIntervalSeconds': PRUNE_S,
      'transcoder.heartbeatMs': 300,
      'transcoder.idleCloseMs': IDLE_CLOSE_MS,
      'log.level': 'warn',
    });
    repo = tg.running.app.get(RecordingsRepository);
    admin = await tg.login();
    const ids = await seedJurisdictions(tg, [{ code: 'BD', name: 'District', tier: 'sub-bureau', parentCode: null, geometry: { type: 'Polygon', coordinates: [[[123.3, 41.6], [123.7, 41.6], [123.7, 41.9], [123.3, 41.9], [123.3, 41.6]]] } }]);
    const cameras = tg.running.infra.database.dataSource.getRepository(CameraEntity);
    const box = tg.running.app.get(SecretBox);
    const add = async (i: number) =>
      (await cameras.save(cameras.create({ name: `wall ${i}`, rtspUrl: fleet.cameras[i]!.subRtspUrl, username: 'admin', passwordSealed: box.seal('sim-pass'), profiles: [], tags: ['wall'], jurisdictionId: ids.get('BD')!, lon: 123.45, lat: 41.75 }))).id;
    watched = await add(0);
    unwatched = await add(1);
    const rule = await tg.call('POST', '/api/recording-rules', { token: admin, body: { name: 'wall replay', target: { type: 'tag', value: 'wall' }, mode: 'buffer', bufferMinutes: BUFFER_MINUTES, jurisdictionId: ids.get('BD')! } });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ mode: 'buffer', bufferMinutes: BUFFER_MINUTES });
  });

  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
    rmSync(rootDir, { recursive: true, force: true });
  });

  it('nothing is recorded before anyone watches (a buffer rule opens no pull)', async () => {
    // the acting partitioner's plan has both cameras as buffer entries, with no worker (the viewer's worker keeps them)
    let plan: RecordingPlanMessage | undefined;
    const off = await tg.running.infra.bus.subscribe(RecordingTopics.plan, (_t, p) => void (plan = p as RecordingPlanMessage));
    const entries = await until(() => {
      const mine = plan?.entries.filter((e) => e.cameraId === watched || e.cameraId === unwatched);
      return mine?.length === 2 ? mine : undefined;
    }, 30_000);
    await off();
    for (const e of entries) expect(e).toMatchObject({ profile: 'sub', mode: 'buffer', bufferMinutes: BUFFER_MINUTES });
    expect(entries.every((e) => e.workerId === undefined)).toBe(true);
    await sleep(6000); // the manager reconciled (every 5 s) with the plan in force
    expect(await rowsOf(watched)).toEqual([]);
    expect(await rowsOf(unwatched)).toEqual([]);
    expect(tg.running.app.get(TranscoderHost).worker!.sessionStates()).toEqual([]);
  });

  it('records the watched stream, prunes what is older than bufferMinutes, and the last minute plays back; the other camera stays unrecorded', async () => {
    const live = await tg.call('POST', `/api/cameras/${watched}/live`, { token: admin, body: { profile: 'sub' } });
    expect(live.status).toBe(200);
    const watchedFrom = Date.now();
    // a viewer: the playlist every 2 s keeps the session (idle close is 6 s here)
    let watching = true;
    const viewer = (async () => {
      while (watching) {
        await fetch(live.body.hlsUrl).then((r) => r.arrayBuffer()).catch(() => undefined);
        await sleep(2000);
      }
    })();
    const seen = new Map<string, RecordingSegmentRecord>();
    try {
      const first = await until(async () => (await rowsOf(watched))[0], 30_000);
      expect(first.keepUntil.getTime() - first.endAt.getTime()).toBe(BUFFER_MS);
      // record past bufferMinutes + a prune interval + a segment, noting every row seen
      while (Date.now() < first.endAt.getTime() + BUFFER_MS + (PRUNE_S + 8) * 1000) {
        for (const s of await rowsOf(watched)) seen.set(s.id, s);
        await sleep(1000);
      }
      const now = Date.now();
      const left = await rowsOf(watched);
      for (const s of left) seen.set(s.id, s);
      const gone = [...seen.values()].filter((s) => !left.some((l) => l.id === s.id));
      // the oldest went, from the index and from the disk
      expect(gone.map((s) => s.id)).toContain(first.id);
      for (const s of gone) expect(existsSync(join(rootDir, s.path))).toBe(false);
      for (const s of left) expect(existsSync(join(rootDir, s.path))).toBe(true);
      // what is left ends at most bufferMinutes (+ one prune interval, + a write's lag) ago, and every segment that
      // went had expired: the buffer is the last N minutes, not less
      for (const s of left) expect(s.endAt.getTime()).toBeGreaterThan(now - BUFFER_MS - (PRUNE_S + 2) * 1000);
      for (const s of gone) expect(s.keepUntil.getTime()).toBeLessThanOrEqual(now);
      expect(left.every((s) => s.keepUntil.getTime() - s.endAt.getTime() === BUFFER_MS)).toBe(true);
      const span = left[left.length - 1]!.endAt.getTime() - left[0]!.startAt.getTime();
      expect(span).toBeGreaterThan(BUFFER_MS - 10_000);
      expect(left[0]!.startAt.getTime()).toBeGreaterThan(watchedFrom); // recorded from the viewer's session on
      // instant replay: the last minute plays back
      const play = await tg.call('POST', `/api/cameras/${watched}/playback`, { token: admin, body: { from: iso(now - BUFFER_MS + 5000), to: iso(now - 2000) } });
      expect(play.status).toBe(200);
      const playlist = await (await fetch(play.body.hlsUrl)).text();
      expect(playlist.split('\n').filter((l) => l.includes('.m4s')).length).toBeGreaterThanOrEqual(10);
      // the camera under the same rule that nobody watched: never pulled, never recorded
      expect(await rowsOf(unwatched)).toEqual([]);
      expect(tg.running.app.get(TranscoderHost).worker!.sessionStates().map((s) => s.cameraId)).toEqual([watched]);
    } finally {
      watching = false;
      await viewer;
    }
  });

  it('once the viewer has gone and the session idled out, the stream is no longer recorded', async () => {
    await until(() => tg.running.app.get(TranscoderHost).worker!.sessionStates().length === 0, IDLE_CLOSE_MS + 15_000);
    const after = (await rowsOf(watched)).length;
    await sleep(10_000); // > two segments
    const later = await rowsOf(watched);
    expect(later.length).toBeLessThanOrEqual(after);
    expect(later.every((s) => s.endAt.getTime() < Date.now() - 9000)).toBe(true);
  });
});
