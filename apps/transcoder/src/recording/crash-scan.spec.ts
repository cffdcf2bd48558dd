import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Fmp4Reader } from '@tiergate/media';
import { crashScan, ORPHAN_DEFAULT_KEEP_MS, segmentTimesOf } from './crash-scan';
import { NodeRecordingFs } from './recording-fs';
import { initHashOf, RecordingLayout, RecordingStorage } from './recording-storage';
import { FakeIndex } from './testing/fake-feed';

/** ffmpeg's real fMP4 (libs/media fixtures): init + 10 fragments of 0.2 s, keyframes at 0 and 1 s. */
const FIXTURE = readFileSync(join(__dirname, '..', '..', '..', '..', 'libs', 'media', 'src', 'fixtures', 'fmp4', 'testsrc2-320x240-25fps-2s.mp4'));
const events = new Fmp4Reader().push(FIXTURE);
const INIT = events.flatMap((e) => (e.kind === 'init' ? [e.init.data] : []))[0]!;
const FRAGS = events.flatMap((e) => (e.kind === 'fragment' ? [e.fragment.data] : []));
const KEY = { cameraId: 'cam-1', profile: 'main' as const };
const T = Date.UTC(2026, 11, 2, 10);

describe('crash scan', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rec-scan-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const put = (rel: string, data: Buffer) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), data);
  };

  it('reads a segment\'s duration from its fragments; one not starting at a keyframe is unreadable', () => {
    expect(segmentTimesOf(INIT, Buffer.concat(FRAGS))).toEqual({ durationMs: 2000, bytes: Buffer.concat(FRAGS).length });
    expect(segmentTimesOf(INIT, Buffer.concat(FRAGS.slice(1, 5)))).toBeUndefined();
    expect(segmentTimesOf(INIT, Buffer.from('garbage!garbage!'))).toBeUndefined();
  });

  it('deletes .tmp files and rows without a file, indexes files without a row, deletes unreadable ones; the index then equals the disk', async () => {
    const hash = initHashOf(INIT);
    const initPath = RecordingLayout.initPath(KEY, hash);
    put(initPath, INIT);
    const a = RecordingLayout.segmentPath(KEY, T, hash);
    const b = RecordingLayout.segmentPath(KEY, T + 2000, hash);
    const c = RecordingLayout.segmentPath(KEY, T + 4000, hash);
    const gone = RecordingLayout.segmentPath(KEY, T - 2000, hash);
    put(a, Buffer.concat(FRAGS));
    put(b, Buffer.concat(FRAGS.slice(5))); // 1 s from the second keyframe
    put(c, Buffer.concat(FRAGS.slice(1, 3))); // cut without a keyframe: unusable
    put(`${c}.tmp`, Buffer.from('half'));
    // the export jobs' folder is theirs: a job's temp file and a finished export are left alone
    put('exports/6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11.mp4.tmp', Buffer.from('job'));
    put('exports/6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11.mp4', Buffer.from('evidence'));
    const index = new FakeIndex();
    const row = (path: string, startAt: number, bytes: number) => ({ ...KEY, workerId: 'w1', rootId: 'r0', path, initPath, startAt: new Date(startAt), endAt: new Date(startAt + 2000), bytes, keepUntil: new Date(startAt + 2000 + 7 * 86_400_000) });
    await index.insertSegment(row(gone, T - 2000, 10));
    await index.insertSegment(row(a, T, Buffer.concat(FRAGS).length));
    await index.insertSegment({ ...row(a, T, 1), workerId: 'w2' }); // another worker's root of the same name: not touched
    const storage = new RecordingStorage({ id: 'r0', path: dir, quotaBytes: 1e9 }, new NodeRecordingFs(), 0);
    const fs = new NodeRecordingFs();
    const report = await crashScan(storage, fs, index, 'w1');
    expect(report).toEqual(expect.objectContaining({ tmpDeleted: 1, rowsWithoutFile: 1, filesIndexed: 1, filesBroken: 1 }));
    const mine = index.rows.filter((r) => r.workerId === 'w1');
    expect(mine.map((r) => r.path).sort()).toEqual([a, b].sort());
    const added = mine.find((r) => r.path === b)!;
    expect([added.startAt.getTime(), added.endAt.getTime()]).toEqual([T + 2000, T + 3000]);
    expect(added.keepUntil.getTime() - added.endAt.getTime()).toBe(7 * 86_400_000); // as its stream's other rows
    expect((await fs.walk(dir)).sort()).toEqual([a, b, initPath, 'exports/6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11.mp4', 'exports/6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11.mp4.tmp'].sort());
    expect(storage.usedBytes).toBe(INIT.length + Buffer.concat(FRAGS).length + Buffer.concat(FRAGS.slice(5)).length);
    expect(index.rows.filter((r) => r.workerId === 'w2')).toHaveLength(1);
    expect(ORPHAN_DEFAULT_KEEP_MS).toBe(86_400_000);
  });
});
