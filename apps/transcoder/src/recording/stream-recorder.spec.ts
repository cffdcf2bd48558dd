import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeRecordingFs } from './recording-fs';
import { DISK_FULL_RETRY_MS, RecordingStorage } from './recording-storage';
import { keepUntilOf, StreamRecorder } from './stream-recorder';
import { FakeFeed, FakeIndex } from './testing/fake-feed';

const KEY = { cameraId: 'cam-1', profile: 'sub' as const };
const DAY = 86_400_000;

class SwitchableFs extends NodeRecordingFs {
  enospc = false;
  free = 2 ** 40;
  override async writeSynced(file: string, data: readonly Buffer[]): Promise<void> {
    if (this.enospc) {
      await super.writeSynced(file, data.slice(0, 1));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }
    return super.writeSynced(file, data);
  }
  override async freeBytes(): Promise<number> {
    return this.free;
  }
}

function setup(entry = { mode: 'continuous' as const, retentionDays: 3 }) {
  const dir = mkdtempSync(join(tmpdir(), 'rec-recorder-'));
  let now = Date.UTC(2026, 11, 2, 10);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const fs = new SwitchableFs();
  const storage = new RecordingStorage({ id: 'r0', path: dir, quotaBytes: 1e12 }, fs, 1000, clock.now);
  const index = new FakeIndex();
  const states: string[] = [];
  const gaps: string[] = [];
  const recorder = new StreamRecorder({
    key: KEY, workerId: 'w1', storage, index, segmentSeconds: 4, entry, now: clock.now,
    events: { state: (_k, s) => states.push(s), gap: (_k, why) => gaps.push(why) },
  });
  const feed = new FakeFeed(clock.now);
  /** n seconds of 1 s GOPs (K f, 0.5 s each), the clock moving with them. */
  let n = 0;
  const play = (seconds: number) => {
    for (let i = 0; i < seconds * 2; i++) {
      clock.advance(500);
      feed.frag(n++ % 2 === 0);
    }
  };
  return { dir, clock, fs, storage, index, states, gaps, recorder, feed, play, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('StreamRecorder', () => {
  it('writes keyframe-aligned segments of segmentSeconds and indexes them with consecutive times and keepUntil from the plan', async () => {
    const t = setup();
    await t.storage.open();
    t.feed.newInit(1);
    t.recorder.attach(t.feed);
    t.play(12.5);
    await t.recorder.flushed();
    const rows = t.index.rows;
    expect(rows.map((r) => r.endAt.getTime() - r.startAt.getTime())).toEqual([4000, 4000, 4000]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.startAt.getTime()).toBe(rows[i - 1]!.endAt.getTime());
    expect(rows[0]!.keepUntil.getTime()).toBe(rows[0]!.endAt.getTime() + 3 * DAY);
    expect(rows.every((r) => r.workerId === 'w1' && r.rootId === 'r0' && r.cameraId === 'cam-1')).toBe(true);
    expect(readFileSync(join(t.dir, rows[0]!.path)).length).toBe(rows[0]!.bytes);
    expect(readFileSync(join(t.dir, rows[0]!.initPath)).toString()).toBe('init-1');
    expect(t.states).toEqual(['recording']);
    expect(t.recorder.bytesPerSecond()).toBe(Math.round(24_000 / 12.5)); // 3 segments of 8 kB over the 12.5 s it has recorded
    t.cleanup();
  });

  it('a restart (new init) closes the segment with its own init file; the feed ending writes the last one; a gap is counted', async () => {
    const t = setup();
    await t.storage.open();
    t.feed.newInit(1);
    t.recorder.attach(t.feed);
    t.play(6); // one 4 s segment, 2 s being built
    t.clock.advance(6000); // the camera was away 6 s
    t.feed.newInit(2, Buffer.from('init-2'));
    t.play(3); // the new run starts at a keyframe
    t.feed.end('idle');
    await t.recorder.flushed();
    const spans = t.index.rows.map((r) => [r.endAt.getTime() - r.startAt.getTime(), r.initPath.endsWith('.mp4')]);
    expect(spans).toEqual([[4000, true], [2000, true], [3000, true]]);
    expect(new Set(t.index.rows.map((r) => r.initPath)).size).toBe(2);
    expect(t.index.rows[2]!.startAt.getTime() - t.index.rows[1]!.endAt.getTime()).toBe(6000);
    expect(t.gaps).toEqual(['source']);
    expect(t.states).toEqual(['recording', 'stopped']);
    t.cleanup();
  });

  it('a buffer stream is kept bufferMinutes', () => {
    expect(keepUntilOf({ mode: 'buffer', retentionDays: 30, bufferMinutes: 5 }, 1000)).toBe(1000 + 5 * 60_000);
  });

  it('disk full: the segment is dropped, no .tmp stays, state disk-full; 10 s later with space back it resumes', async () => {
    const t = setup();
    await t.storage.open();
    t.feed.newInit(1);
    t.recorder.attach(t.feed);
    t.play(4.5);
    await t.recorder.flushed();
    expect(t.index.rows).toHaveLength(1);
    t.fs.enospc = true;
    t.play(4);
    await t.recorder.flushed();
    expect(t.states).toEqual(['recording', 'disk-full']);
    expect((await t.fs.walk(t.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    t.fs.enospc = false;
    t.fs.free = 500; // freed, but below minFreeBytes (1000)
    t.play(4);
    await t.recorder.flushed();
    expect(t.index.rows).toHaveLength(1);
    expect(t.recorder.state).toBe('disk-full');
    t.fs.free = 10_000;
    t.play(Math.ceil(DISK_FULL_RETRY_MS / 1000) + 4);
    await t.recorder.flushed();
    expect(t.recorder.state).toBe('recording');
    expect(t.index.rows.length).toBeGreaterThanOrEqual(2);
    expect(t.gaps.filter((g) => g === 'disk-full').length).toBeGreaterThanOrEqual(2);
    expect(t.states).toEqual(['recording', 'disk-full', 'disk-full', 'recording']); // ENOSPC, then below minFreeBytes (a new reason), then space
    t.cleanup();
  });

  it('stop() writes the segment being built when it starts with a keyframe', async () => {
    const t = setup();
    await t.storage.open();
    t.feed.newInit(1);
    t.recorder.attach(t.feed);
    t.play(2.5);
    await t.recorder.stop('worker shutdown');
    expect(t.index.rows.map((r) => r.endAt.getTime() - r.startAt.getTime())).toEqual([2500]);
    t.play(2);
    await t.recorder.flushed();
    expect(t.index.rows).toHaveLength(1);
    t.cleanup();
  });
});
