import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Topics } from '@tiergate/contracts';
import { Registry } from 'prom-client';
import { FakeClock } from './testing/fake-clock';
import { FakeOutput, FakeSpawner } from './testing/fake-spawner';
import { TranscoderMetrics } from './transcoder.metrics';
import { FROZEN_GRACE_MS, FROZEN_SETTLE_MS, TranscoderWorker, type EnsureOptions } from './transcoder.worker';
import { FFMPEG_5_FEATURES } from './testing/ffmpeg-features';

const URL_ = 'rtsp://admin:sim-pass@127.0.1.5:8554/main';

function setup(capacity = 2, loopDelayMs?: () => number | undefined) {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const fake = new FakeOutput();
  const output = Object.assign(fake, { dirFor: (c: string, p: string) => `/shm/w1/${c}-${p}` });
  const published: { topic: string; payload: any; retain?: boolean }[] = [];
  const failing: unknown[] = [];
  const registry = new Registry();
  const metrics = new TranscoderMetrics(registry);
  const worker = new TranscoderWorker({
    workerId: 'w1', baseUrl: 'http://127.0.0.1:8090', capacity, clock, spawner, output, metrics, ffmpeg: FFMPEG_5_FEATURES,
    publish: (topic, payload, o) => void published.push({ topic, payload, retain: o?.retain }),
    events: { streamFailing: (i) => void failing.push(i) },
    session: { startTimeoutMs: 5000, idleTimeoutMs: 10_000, restartBaseMs: 100, reportFailuresAfter: 2 },
    loopDelayMs,
  });
  return { clock, spawner, output, published, failing, worker, registry };
}

describe('TranscoderWorker', () => {
  it('ensures a stream, shares it, publishes state and answers with the playlist path', async () => {
    const t = setup();
    const r1 = t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ });
    const r2 = t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ });
    await t.clock.advance(200);
    t.output.ready.add('/shm/w1/cam1-main');
    await t.clock.advance(200);
    const expected = { ok: true, workerId: 'w1', playlistPath: '/hls/cam1/main/index.m3u8', readyAt: 'segment' };
    await expect(r1).resolves.toEqual(expected);
    await expect(r2).resolves.toEqual(expected);
    expect(t.spawner.children).toHaveLength(1);
    expect(t.worker.load).toBe(1);
    const states = t.published.filter((p) => p.topic === Topics.streamState('cam1', 'main'));
    expect(states.map((s) => s.payload.state)).toEqual(['starting', 'ready']);
    expect(states.every((s) => s.retain && s.payload.workerId === 'w1')).toBe(true);
    expect(t.worker.outputDirOf('cam1', 'main')).toBe('/shm/w1/cam1-main');
    expect(await t.registry.getSingleMetricAsString('tiergate_transcoder_active_sessions')).toContain('worker="w1"} 1');
    expect(await t.registry.getSingleMetricAsString('tiergate_transcoder_ffmpeg_starts_total')).toContain('worker="w1"} 1');
    expect(await t.registry.getSingleMetricAsString('tiergate_transcoder_time_to_first_segment_seconds')).toContain('_count{worker="w1"} 1');
  });

  it('answers a `fragment` ensure once the feed has a keyframe fragment, and says so; `segment` ones wait for the playlist', async () => {
    const FIXTURE = readFileSync(join(__dirname, '..', '..', '..', 'libs', 'media', 'src', 'fixtures', 'fmp4', 'testsrc2-320x240-25fps-2s.mp4'));
    const clock = new FakeClock();
    const spawner = new FakeSpawner();
    const output = Object.assign(new FakeOutput(), { dirFor: (c: string, p: string) => `/shm/w1/${c}-${p}` });
    const worker = new TranscoderWorker({ workerId: 'w1', baseUrl: 'http://127.0.0.1:8090', capacity: 2, clock, spawner, output, ffmpeg: FFMPEG_5_FEATURES, publish: () => undefined, fragmentDurationMs: 200 });
    let fast: unknown;
    let classic: unknown;
    void worker.ensure({ cameraId: 'cam1', profile: 'sub', sourceUrl: URL_, readyAt: 'fragment' }).then((r) => (fast = r));
    void worker.ensure({ cameraId: 'cam1', profile: 'sub', sourceUrl: URL_ }).then((r) => (classic = r));
    await clock.advance(200);
    spawner.last.writeStdout(FIXTURE.subarray(0, 28 + 751 + 144 + 11020)); // init + the first (keyframe) fragment
    await clock.advance(10);
    expect(fast).toEqual({ ok: true, workerId: 'w1', playlistPath: '/hls/cam1/sub/index.m3u8', readyAt: 'fragment' });
    expect(classic).toBeUndefined();
    output.ready.add('/shm/w1/cam1-sub');
    await clock.advance(200);
    expect(classic).toMatchObject({ ok: true, readyAt: 'segment' });
    await worker.stopAll();
  });

  it('validates input and never leaks the source URL in replies', async () => {
    const t = setup();
    const bad: EnsureOptions[] = [
      { cameraId: '../etc', profile: 'main', sourceUrl: URL_ },
      { cameraId: 'cam1', profile: 'hd' as 'main', sourceUrl: URL_ },
      { cameraId: 'cam1', profile: 'main', sourceUrl: 'http://admin:sim-pass@127.0.0.1/' },
    ];
    const replies = await Promise.all(bad.map((b) => t.worker.ensure(b)));
    expect(replies.map((r) => r.code)).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED', 'UNSUPPORTED_URL']);
    expect(JSON.stringify(replies)).not.toContain('sim-pass');
    expect(t.worker.sessionStates()).toEqual([]);
    expect(t.spawner.children).toHaveLength(0);
  });

  it('refuses new streams at capacity but still shares existing ones', async () => {
    const t = setup(1);
    const a = t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ });
    await t.clock.advance(100);
    const b = await t.worker.ensure({ cameraId: 'cam2', profile: 'main', sourceUrl: URL_ });
    expect(b).toMatchObject({ ok: false, code: 'NO_WORKER_AVAILABLE' });
    const c = t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ });
    t.output.ready.add('/shm/w1/cam1-main');
    await t.clock.advance(200);
    expect((await a).ok && (await c).ok).toBe(true);
  });

  it('reports a failing stream through the events port and the state topic', async () => {
    const t = setup();
    const a = t.worker.ensure({ cameraId: 'cam1', profile: 'sub', sourceUrl: URL_ });
    t.output.ready.add('/shm/w1/cam1-sub');
    await t.clock.advance(200);
    expect((await a).ok).toBe(true);
    for (let i = 0; i < 2; i++) {
      const n = t.spawner.children.length;
      t.spawner.last.die(1, 'Connection refused');
      while (t.spawner.children.length === n) {
        t.worker.touch('cam1', 'sub');
        await t.clock.advance(50);
      }
    }
    expect(t.failing).toEqual([expect.objectContaining({ workerId: 'w1', cameraId: 'cam1', profile: 'sub', failures: 2, code: 'CAMERA_UNREACHABLE' })]);
    expect(t.published.some((p) => p.payload.state === 'failed')).toBe(true);
  });

  it('heartbeat carries the event-loop delay the port measured since the last one (none before a sample)', async () => {
    const delays = [undefined, 320];
    const t = setup(2, () => delays.shift());
    t.worker.startHeartbeat(1000);
    await t.clock.advance(1000);
    const beats = t.published.filter((p) => p.topic === Topics.workerHeartbeat('w1')).map((p) => p.payload);
    expect(beats.map((b) => b.loopDelayMs)).toEqual([undefined, 320]);
    expect('loopDelayMs' in beats[0]).toBe(false);
    await t.worker.stopAll();
  });

  it('heartbeat carries load and sessions; stopAll stops everything and forgets sessions', async () => {
    const t = setup();
    void t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ });
    await t.clock.advance(100);
    t.worker.startHeartbeat(1000);
    await t.clock.advance(1000);
    const beats = t.published.filter((p) => p.topic === Topics.workerHeartbeat('w1'));
    expect(beats.length).toBe(2);
    expect(beats[0]!.payload).toMatchObject({ workerId: 'w1', baseUrl: 'http://127.0.0.1:8090', capacity: 2, load: 1, sessions: [{ cameraId: 'cam1', profile: 'main', state: 'starting' }] });
    await t.worker.stopAll();
    expect(t.spawner.running).toHaveLength(0);
    expect(t.worker.load).toBe(0);
    expect(t.output.dirs.size).toBe(0);
    expect(await t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ })).toMatchObject({ ok: false, code: 'SERVICE_UNAVAILABLE' });
    await t.clock.advance(5000);
    expect(t.published.filter((p) => p.topic === Topics.workerHeartbeat('w1')).length).toBe(2);
  });

  it('after a freeze (SIGSTOP) closes within the grace the sessions no viewer asks for; keeps those still asked for', async () => {
    const t = setup(4);
    t.worker.startHeartbeat(1000);
    for (const cameraId of ['moved', 'kept']) void t.worker.ensure({ cameraId, profile: 'sub', sourceUrl: URL_ });
    await t.clock.advance(100);
    t.output.ready.add('/shm/w1/moved-sub');
    t.output.ready.add('/shm/w1/kept-sub');
    await t.clock.advance(200);
    expect(t.worker.load).toBe(2);
    t.clock.freeze(4000); // stopped 4 s (shorter than the 10 s idle timeout): the gateways moved 'moved' elsewhere
    await t.clock.advance(100); // the overdue heartbeat runs first and notices
    // requests that waited in the socket buffers through the freeze arrive at once: they do not count
    t.worker.touch('moved', 'sub');
    t.worker.touch('kept', 'sub');
    await t.clock.advance(FROZEN_SETTLE_MS + 500);
    t.worker.touch('kept', 'sub'); // a gateway still delivers this one from here
    await t.clock.advance(FROZEN_GRACE_MS - FROZEN_SETTLE_MS);
    expect(t.worker.sessionStates().map((s) => s.cameraId)).toEqual(['kept']);
    // without a freeze, the normal idle timeout (10 s here) applies
    await t.clock.advance(3000);
    t.worker.touch('kept', 'sub');
    await t.clock.advance(7000);
    expect(t.worker.sessionStates().map((s) => s.cameraId)).toEqual(['kept']);
    await t.worker.stopAll();
  });

  it('closes one session on request', async () => {
    const t = setup();
    const a = t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ });
    t.output.ready.add('/shm/w1/cam1-main');
    await t.clock.advance(200);
    await a;
    expect(await t.worker.close('cam1', 'main')).toBe(true);
    expect(t.spawner.running).toHaveLength(0);
    expect(t.worker.sessionStates()).toEqual([]);
    expect(await t.worker.close('cam1', 'main')).toBe(false);
  });

  it('drops the session after an idle close', async () => {
    const t = setup();
    const a = t.worker.ensure({ cameraId: 'cam1', profile: 'main', sourceUrl: URL_ });
    t.output.ready.add('/shm/w1/cam1-main');
    await t.clock.advance(200);
    await a;
    await t.clock.advance(11_000);
    expect(t.worker.sessionStates()).toEqual([]);
    expect(t.worker.touch('cam1', 'main')).toBe(false);
    const states = t.published.filter((p) => p.topic === Topics.streamState('cam1', 'main')).map((p) => p.payload.state);
    expect(states).toEqual(['starting', 'ready', 'stopped']);
  });
});
