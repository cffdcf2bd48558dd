import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TiergateError } from '@tiergate/domain';
import { restartDelay, StreamSession, type SessionState } from './stream-session';
import { FakeClock, flush } from './testing/fake-clock';
import { FakeOutput, FakeSpawner } from './testing/fake-spawner';
import { FFMPEG_5_FEATURES } from './testing/ffmpeg-features';
import { StartGate } from './start-gate';

const SOURCE = { sourceUrl: 'rtsp://admin:sim-pass@127.0.1.5:8554/main', sourceCodec: 'h264' as const, ffmpeg: FFMPEG_5_FEATURES };
const DIR = '/dev/shm/tiergate-hls/w1/cam1-main';

function setup(config = {}) {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const output = new FakeOutput();
  const states: string[] = [];
  const failing: number[] = [];
  const firstSegments: number[] = [];
  let closed = 0;
  const session = new StreamSession({
    cameraId: 'cam1', profile: 'main', outputDir: DIR, spawner, output, clock,
    config: { startTimeoutMs: 10_000, idleTimeoutMs: 30_000, pollMs: 100, restartBaseMs: 500, restartMaxMs: 4000, reportFailuresAfter: 3, ...config },
    hooks: {
      onState: (s: SessionState, r?: string) => states.push(r ? `${s}:${r}` : s),
      onFailing: (i) => failing.push(i.failures),
      onFirstSegment: (ms) => firstSegments.push(ms),
      onClosed: () => closed++,
    },
  });
  return { clock, spawner, output, states, failing, firstSegments, session, closedCount: () => closed };
}

/** Tracks a promise's outcome without awaiting it. */
function track(p: Promise<unknown>) {
  const r: { done: boolean; reached?: unknown; error?: TiergateError } = { done: false };
  p.then((v) => { r.done = true; r.reached = v; }, (e: TiergateError) => (r.error = e));
  return r;
}

describe('restartDelay', () => {
  it.each([[1, 500], [2, 1000], [3, 2000], [4, 4000], [5, 4000], [10, 4000]])('failure %i -> %i ms', (n, ms) => {
    expect(restartDelay(n, 500, 4000)).toBe(ms);
  });
});

describe('StreamSession', () => {
  it('first viewer starts ffmpeg, waits for the first segment; later viewers share the session', async () => {
    const t = setup();
    const a = track(t.session.ensure(SOURCE));
    const b = track(t.session.ensure(SOURCE));
    await t.clock.advance(300);
    expect(t.session.state).toBe('starting');
    expect(t.spawner.children).toHaveLength(1);
    expect(t.spawner.last.args).toContain('copy');
    expect(t.spawner.last.args[t.spawner.last.args.length - 1]).toBe(`${DIR}/index.m3u8`);
    expect(a.done || b.done).toBe(false);
    t.output.ready.add(DIR);
    await t.clock.advance(100);
    expect(t.session.state).toBe('ready');
    expect(a.done && b.done).toBe(true);
    expect(t.firstSegments).toHaveLength(1);
    expect(t.firstSegments[0]).toBeGreaterThanOrEqual(250); // spawned within the first step, ready at the poll after 300
    expect(t.firstSegments[0]).toBeLessThanOrEqual(400);
    const c = track(t.session.ensure(SOURCE));
    await t.clock.advance(10);
    expect(c.done).toBe(true);
    expect(t.spawner.children).toHaveLength(1);
    expect(t.states).toEqual(['starting', 'ready']);
  });

  it('closes after the idle timeout since the last touch, stops ffmpeg and removes its directory', async () => {
    const t = setup();
    const a = track(t.session.ensure(SOURCE));
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    expect(a.done).toBe(true);
    for (let i = 0; i < 5; i++) {
      await t.clock.advance(20_000);
      t.session.touch();
    }
    expect(t.session.state).toBe('ready');
    await t.clock.advance(29_000);
    expect(t.session.state).toBe('ready');
    await t.clock.advance(1_200);
    expect(t.session.state).toBe('idle');
    expect(t.spawner.last.stopped).toBe(true);
    expect(t.output.dirs.has(DIR)).toBe(false);
    expect(t.states).toEqual(['starting', 'ready', 'closing:idle', 'idle:idle']);
    expect(t.closedCount()).toBeGreaterThanOrEqual(1);
    expect(t.clock.pending).toBe(0);
  });

  it('times out with STREAM_START_TIMEOUT (stderr attached, redacted upstream) and closes', async () => {
    const t = setup({ startTimeoutMs: 2000 });
    const a = track(t.session.ensure(SOURCE));
    await t.clock.advance(500);
    t.spawner.last.writeStderr('[rtsp @ 0x1] waiting for data\n');
    await t.clock.advance(1600);
    expect(a.error).toBeInstanceOf(TiergateError);
    expect(a.error?.code).toBe('STREAM_START_TIMEOUT');
    expect(a.error?.details?.stderr).toContain('waiting for data');
    expect(t.session.state).toBe('idle');
    expect(t.spawner.last.stopped).toBe(true);
    expect(t.clock.pending).toBe(0);
  });

  it('an unreachable source fails fast with CAMERA_UNREACHABLE, before the timeout', async () => {
    const t = setup();
    const a = track(t.session.ensure(SOURCE));
    await t.clock.advance(100);
    t.spawner.last.die(1, 'rtsp://***@127.0.1.5:8554/main: Connection refused');
    await t.clock.advance(50);
    expect(a.error?.code).toBe('CAMERA_UNREACHABLE');
    expect(t.session.state).toBe('idle');
    expect(t.spawner.children).toHaveLength(1);
  });

  it('restarts a dead ffmpeg with backoff while viewers remain, reports repeated failures', async () => {
    const t = setup();
    track(t.session.ensure(SOURCE));
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    expect(t.session.state).toBe('ready');

    // dies; viewers keep touching; restart after 500, 1000, 2000 ms while each restart fails
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = t.spawner.children.length;
      t.spawner.last.die(1, 'Connection refused');
      const diedAt = t.clock.now();
      while (t.spawner.children.length === before) {
        t.session.touch();
        await t.clock.advance(50);
      }
      delays.push(t.clock.now() - diedAt);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThan(700);
    expect(delays[1]).toBeGreaterThanOrEqual(1000);
    expect(delays[2]).toBeGreaterThanOrEqual(2000);
    expect(t.failing).toEqual([3]);
    expect(t.session.state).toBe('starting');
    // a viewer arriving now waits for the restarted ffmpeg
    const late = track(t.session.ensure(SOURCE));
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    expect(late.done).toBe(true);
    expect(t.session.state).toBe('ready');
    // success resets the backoff
    const before = t.spawner.children.length;
    t.spawner.last.die(1);
    t.session.touch();
    await t.clock.advance(600);
    expect(t.spawner.children.length).toBe(before + 1);
    expect(t.spawner.running).toHaveLength(1);
  });

  it('a restart continues the media sequence, keeps the last run listed and on disk, and marks the join', async () => {
    const t = setup();
    const startOf = () => Number(t.spawner.last.args[t.spawner.last.args.indexOf('-start_number') + 1]);
    const ffmpegPlaylist = (first: number, n: number) =>
      `#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:${first}\n${Array.from({ length: n }, (_, i) => `#EXTINF:1.000000,\nseg_${first + i}.ts\n`).join('')}`;
    await t.clock.advance(5000);
    track(t.session.ensure(SOURCE));
    await t.clock.advance(50);
    const first = startOf();
    expect(first).toBe(t.clock.now() - 50); // a fresh start numbers from the clock
    expect(t.output.log).toEqual([`prepare ${DIR}`]);
    t.output.ready.add(DIR);
    t.output.playlists.set(DIR, ffmpegPlaylist(first, 3));
    await t.clock.advance(100);
    expect(t.session.playlist(t.output.playlists.get(DIR))).toContain(`#EXT-X-MEDIA-SEQUENCE:${first}`);

    t.spawner.last.die(1, 'Connection reset by peer');
    t.session.touch();
    await t.clock.advance(600);
    expect(t.spawner.children).toHaveLength(2);
    expect(startOf()).toBe(first + 3);
    expect(t.output.log.at(-1)).toBe(`prepare ${DIR} keep seg_${first}.ts,seg_${first + 1}.ts,seg_${first + 2}.ts`);
    // while the new ffmpeg has written nothing, viewers still get the last run's segments
    const during = t.session.playlist(undefined)!;
    expect(during).toContain(`seg_${first + 2}.ts`);
    expect(during).not.toContain(`seg_${first + 3}.ts`);
    const joined = t.session.playlist(ffmpegPlaylist(first + 3, 1))!;
    expect(joined).toContain(`seg_${first + 2}.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1,\nseg_${first + 3}.ts`);
    expect(joined).toContain(`#EXT-X-MEDIA-SEQUENCE:${first}`);

    await t.session.close();
    expect(t.session.playlist(undefined)).toBeUndefined();
    // the next run of the session is fresh again: clock numbering, empty directory
    track(t.session.ensure(SOURCE));
    await t.clock.advance(50);
    expect(startOf()).toBeGreaterThan(first + 3);
    expect(t.output.log.at(-1)).toBe(`prepare ${DIR}`);
  });

  it('a session moved here continues the timeline another worker served; of two gateways the later position wins', async () => {
    const t = setup();
    const startOf = () => Number(t.spawner.last.args[t.spawner.last.args.indexOf('-start_number') + 1]);
    const ffmpegPlaylist = (first: number, n: number) =>
      `#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:${first}\n${Array.from({ length: n }, (_, i) => `#EXTINF:1.000000,\nseg_${first + i}.ts\n`).join('')}`;
    await t.clock.advance(5000);
    // gateway A asks first; gateway B, which saw one more segment of the old worker, a moment later
    track(t.session.ensure(SOURCE, { mediaSequence: 900, discontinuitySequence: 2 }));
    await t.clock.advance(50);
    track(t.session.ensure(SOURCE, { mediaSequence: 901, discontinuitySequence: 2 }));
    await t.clock.advance(50);
    const first = startOf();
    expect(first).toBe(t.clock.now() - 100); // files still named by the clock
    t.output.ready.add(DIR);
    t.output.playlists.set(DIR, ffmpegPlaylist(first, 2));
    await t.clock.advance(100);
    const served = t.session.playlist(t.output.playlists.get(DIR))!;
    expect(served).toContain('#EXT-X-MEDIA-SEQUENCE:902');
    expect(served).toContain(`#EXT-X-DISCONTINUITY-SEQUENCE:2\n#EXT-X-DISCONTINUITY\n#EXTINF:1,\nseg_${first}.ts`);
    // a late request of an older position changes nothing once served
    track(t.session.ensure(SOURCE, { mediaSequence: 950, discontinuitySequence: 5 }));
    await t.clock.advance(10);
    expect(t.session.playlist(t.output.playlists.get(DIR))).toContain('#EXT-X-MEDIA-SEQUENCE:902');
  });

  it('does not restart when nobody watches any more', async () => {
    const t = setup({ idleTimeoutMs: 1000 });
    track(t.session.ensure(SOURCE));
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    await t.clock.advance(500);
    t.spawner.last.die(1); // nobody touched since the ensure 700 ms ago; idle check due at 1000
    await t.clock.advance(600);
    expect(t.session.state).toBe('idle');
    expect(t.spawner.children).toHaveLength(1);
  });

  it('a pinned session (continuous recording) outlives the idle timeout and restarts a dead ffmpeg; unpinned it idles out from then', async () => {
    const t = setup({ idleTimeoutMs: 1000 });
    t.session.setPinned(true);
    track(t.session.ensure(SOURCE));
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    await t.clock.advance(10_000);
    expect(t.session.state).toBe('ready');
    t.spawner.last.die(1); // nobody watches, but the recording does
    await t.clock.advance(600);
    expect(t.spawner.children).toHaveLength(2);
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    expect(t.session.state).toBe('ready');
    t.session.setPinned(false);
    await t.clock.advance(900);
    expect(t.session.state).toBe('ready');
    await t.clock.advance(300);
    expect(t.session.state).toBe('idle');
  });

  it('ignores a stale exit from an earlier generation', async () => {
    const t = setup();
    track(t.session.ensure(SOURCE));
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    const first = t.spawner.last;
    first.lateExit = true; // its exit event will only arrive after a new generation is running
    await t.session.close('test');
    const again = track(t.session.ensure(SOURCE));
    await t.clock.advance(100);
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    expect(again.done).toBe(true);
    const second = t.spawner.last;
    expect(second).not.toBe(first);
    first.die(1, 'Connection refused'); // stale: generation 1
    t.session.touch();
    await t.clock.advance(3000);
    expect(t.spawner.children).toHaveLength(2); // no restart triggered by the stale exit
    expect(second.alive).toBe(true);
    expect(t.session.state).toBe('ready');
  });

  it('rejects a non-RTSP source with UNSUPPORTED_URL without spawning', async () => {
    const t = setup();
    await expect(t.session.ensure({ sourceUrl: 'http://127.0.0.1/x', ffmpeg: FFMPEG_5_FEATURES })).rejects.toMatchObject({ code: 'UNSUPPORTED_URL' });
    await flush();
    expect(t.spawner.children).toHaveLength(0);
    expect(t.session.state).toBe('idle');
  });

  it('a viewer joining during a restart times out alone; the session keeps trying', async () => {
    const t = setup({ startTimeoutMs: 1000, restartBaseMs: 5000, restartMaxMs: 5000 });
    track(t.session.ensure(SOURCE));
    t.output.ready.add(DIR);
    await t.clock.advance(200);
    t.spawner.last.die(1);
    await t.clock.advance(50);
    const late = track(t.session.ensure(SOURCE));
    await t.clock.advance(1100);
    expect(late.error?.code).toBe('STREAM_START_TIMEOUT');
    expect(t.session.state).toBe('starting');
  });

  describe('the low-latency feed (issue 13)', () => {
    const FIXTURE = readFileSync(join(__dirname, '..', '..', '..', 'libs', 'media', 'src', 'fixtures', 'fmp4', 'testsrc2-320x240-25fps-2s.mp4'));
    const LL = { ...SOURCE, fmp4: { fragmentDurationMs: 200 } };

    it('reads each ffmpeg run\'s stdout into one feed: a restart brings a new init, closing ends it', async () => {
      const t = setup();
      expect(t.session.feed).toBeUndefined();
      const a = track(t.session.ensure(LL));
      await t.clock.advance(10);
      expect(t.spawner.last.args.at(-1)).toBe('pipe:1');
      const feed = t.session.feed!;
      const seen: string[] = [];
      feed.subscribe({ init: (i) => seen.push(`init g${i.generation}`), fragment: (f) => seen.push(`${f.keyframe ? 'K' : 'f'}${f.seq}`), end: (r) => seen.push(`end ${r}`) });
      t.spawner.last.writeStdout(FIXTURE.subarray(0, 28 + 751 + 144 + 11020)); // init + first fragment, before any HLS segment
      expect(seen).toEqual(['init g1', 'K0']);
      t.output.ready.add(DIR);
      await t.clock.advance(100);
      expect(a.done).toBe(true);
      t.spawner.last.die(1);
      await t.clock.advance(600); // restart backoff
      expect(t.spawner.children).toHaveLength(2);
      expect(t.session.feed).toBe(feed);
      t.spawner.last.writeStdout(FIXTURE.subarray(0, 28 + 751 + 144 + 11020));
      expect(seen).toEqual(['init g1', 'K0', 'init g3', 'K1']);
      await t.session.close('closed');
      expect(seen.at(-1)).toBe('end closed');
      expect(t.session.feed).toBeUndefined();
    });

    const INIT_AND_KEYFRAME = () => FIXTURE.subarray(0, 28 + 751 + 144 + 11020);

    it('answers a `fragment` ensure at the feed\'s first keyframe fragment, long before the first segment; a `segment` one still waits', async () => {
      const t = setup();
      const fast = track(t.session.ensure(LL, undefined, 'fragment'));
      const classic = track(t.session.ensure(LL));
      await t.clock.advance(300);
      t.spawner.last.writeStdout(FIXTURE.subarray(0, 28 + 751)); // the init alone is not enough
      await flush();
      expect(fast.done).toBe(false);
      t.spawner.last.writeStdout(FIXTURE.subarray(28 + 751, 28 + 751 + 144 + 11020));
      await flush();
      expect(fast).toMatchObject({ done: true, reached: 'fragment' });
      expect(t.session.state).toBe('starting');
      expect(classic.done).toBe(false);
      // a later `fragment` ensure of the same spawn is answered at once
      const later = track(t.session.ensure(LL, undefined, 'fragment'));
      await t.clock.advance(10);
      expect(later).toMatchObject({ done: true, reached: 'fragment' });
      t.output.ready.add(DIR);
      await t.clock.advance(100);
      expect(classic).toMatchObject({ done: true, reached: 'segment' });
      expect(t.spawner.children).toHaveLength(1);
    });

    it('after a restart a `fragment` ensure waits for the new spawn\'s keyframe, not the old run\'s cache', async () => {
      const t = setup();
      track(t.session.ensure(LL));
      await t.clock.advance(10);
      t.spawner.last.writeStdout(INIT_AND_KEYFRAME());
      t.output.ready.add(DIR);
      await t.clock.advance(100);
      expect(t.session.state).toBe('ready');
      t.output.ready.delete(DIR);
      t.spawner.last.die(1);
      await t.clock.advance(600);
      expect(t.session.state).toBe('starting');
      const fast = track(t.session.ensure(LL, undefined, 'fragment'));
      await t.clock.advance(10);
      expect(fast.done).toBe(false);
      t.spawner.last.writeStdout(INIT_AND_KEYFRAME());
      await flush();
      expect(fast).toMatchObject({ done: true, reached: 'fragment' });
    });

    it('a ready session answers `fragment` with `segment` at once; without the fMP4 output `fragment` waits for the segment', async () => {
      const t = setup();
      track(t.session.ensure(SOURCE));
      await t.clock.advance(10);
      const noFeed = track(t.session.ensure(SOURCE, undefined, 'fragment'));
      await t.clock.advance(300);
      expect(noFeed.done).toBe(false);
      t.output.ready.add(DIR);
      await t.clock.advance(100);
      expect(noFeed).toMatchObject({ done: true, reached: 'segment' });
      const again = track(t.session.ensure(SOURCE, undefined, 'fragment'));
      await t.clock.advance(10);
      expect(again).toMatchObject({ done: true, reached: 'segment' });
    });

    it('a `fragment` ensure still times out when no keyframe comes', async () => {
      const t = setup();
      const fast = track(t.session.ensure(LL, undefined, 'fragment'));
      await t.clock.advance(10);
      t.spawner.last.writeStdout(FIXTURE.subarray(0, 28 + 751));
      await t.clock.advance(10_100);
      expect(fast.error?.code).toBe('STREAM_START_TIMEOUT');
      expect(t.session.state).toBe('idle');
    });

    it('a `segment` ensure whose first segment is late while the feed plays is told to retry (503 busy); the run and its viewers stay', async () => {
      const t = setup({ startTimeoutMs: 2000 });
      const fast = track(t.session.ensure(LL, undefined, 'fragment'));
      const classic = track(t.session.ensure(LL));
      await t.clock.advance(10);
      t.spawner.last.writeStdout(INIT_AND_KEYFRAME());
      await flush();
      expect(fast).toMatchObject({ done: true, reached: 'fragment' });
      const ended: string[] = [];
      t.session.feed!.subscribe({ init: () => undefined, fragment: () => undefined, end: (r) => ended.push(r) });
      await t.clock.advance(2100);
      expect(classic.error?.code).toBe('SERVICE_UNAVAILABLE');
      expect(classic.error?.details).toMatchObject({ busy: true });
      expect(classic.error?.message).toMatch(/plays but its first segment/);
      expect([t.session.state, t.spawner.last.stopped, ended]).toEqual(['starting', false, []]);
      // The retry finds it ready, from the same ffmpeg.
      t.output.ready.add(DIR);
      await t.clock.advance(100);
      const retry = track(t.session.ensure(LL));
      await t.clock.advance(10);
      expect(retry).toMatchObject({ done: true, reached: 'segment' });
      expect(t.spawner.children).toHaveLength(1);
    });

    it('a run kept past its waiters\' deadline that nobody asks for again idles out', async () => {
      const t = setup({ startTimeoutMs: 2000, idleTimeoutMs: 5000 });
      const classic = track(t.session.ensure(LL));
      await t.clock.advance(10);
      t.spawner.last.writeStdout(INIT_AND_KEYFRAME());
      await t.clock.advance(2100);
      expect(classic.error?.code).toBe('SERVICE_UNAVAILABLE');
      expect(t.session.state).toBe('starting');
      await t.clock.advance(3000);
      expect(t.session.state).toBe('idle');
      expect(t.spawner.last.stopped).toBe(true);
    });

    it('no feed without the fMP4 output', async () => {
      const t = setup();
      track(t.session.ensure(SOURCE));
      await t.clock.advance(10);
      expect(t.session.state).toBe('starting');
      expect(t.session.feed).toBeUndefined();
    });
  });
});


describe('StreamSession under the worker start gate', () => {
  /** Two sessions of one worker sharing a gate of `limit` places (one clock, one spawner). */
  function pair(limit: number, config = {}) {
    const clock = new FakeClock();
    const spawner = new FakeSpawner();
    const output = new FakeOutput();
    const startGate = new StartGate(limit);
    const make = (cameraId: string, own = {}) =>
      new StreamSession({
        cameraId, profile: 'main', outputDir: `/shm/w1/${cameraId}-main`, spawner, output, clock, startGate,
        config: { startTimeoutMs: 10_000, idleTimeoutMs: 30_000, pollMs: 100, restartBaseMs: 500, restartMaxMs: 4000, reportFailuresAfter: 3, ...config, ...own },
      });
    // the first session's own start deadline is long: it keeps its place while the second one's passes
    return { clock, spawner, output, startGate, a: make('cam1', { startTimeoutMs: 60_000 }), b: make('cam2') };
  }

  it('a second first start waits for a place: it spawns when the first has its first segment', async () => {
    const t = pair(1);
    const a = track(t.a.ensure(SOURCE));
    const b = track(t.b.ensure({ ...SOURCE, sourceUrl: 'rtsp://127.0.1.6:8554/main' }));
    await t.clock.advance(300);
    expect(t.spawner.children).toHaveLength(1);
    expect(t.b.state).toBe('starting');
    expect(t.startGate.counts).toEqual({ running: 1, waiting: 1 });
    t.output.ready.add('/shm/w1/cam1-main');
    await t.clock.advance(100);
    expect(a.done).toBe(true);
    await flush();
    expect(t.spawner.children).toHaveLength(2);
    expect(t.startGate.counts).toEqual({ running: 1, waiting: 0 });
    t.output.ready.add('/shm/w1/cam2-main');
    await t.clock.advance(200);
    expect(b.done).toBe(true);
    expect(t.startGate.counts).toEqual({ running: 0, waiting: 0 });
  });

  it("a start still waiting at its deadline is the worker's capacity, not the camera: 503, says why, spawns nothing and gives its request back", async () => {
    const t = pair(1, { startTimeoutMs: 1000 });
    const a = track(t.a.ensure(SOURCE));
    const b = track(t.b.ensure(SOURCE));
    await t.clock.advance(1100);
    expect(b.error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(b.error?.status).toBe(503);
    expect(b.error?.message).toContain("the worker is busy: stream cam2/main was still waiting for one of the worker's 1 starts at once");
    expect(a.done).toBe(false); // the first keeps its place and its own deadline
    expect(t.spawner.children).toHaveLength(1); // only the first session's ffmpeg
    expect(t.b.state).toBe('idle');
    expect(t.startGate.counts.waiting).toBe(0);
  });
});
