import { RecordingPruner } from './recording-pruner';
import type { RecordingFs } from './recording-fs';
import { RecordingStorage } from './recording-storage';
import { FakeIndex } from './testing/fake-feed';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 2, 12);

/** A file system that only records deletions. */
function deletions(): { fs: RecordingFs; deleted: string[] } {
  const deleted: string[] = [];
  const fs = { unlink: async (f: string) => void deleted.push(f), sizeOf: async () => undefined } as unknown as RecordingFs;
  return { fs, deleted };
}

/** One row per hour for `hours` hours before NOW, 100 bytes each, kept `keepH` hours after they end. */
function seed(index: FakeIndex, cameraId: string, hours: number, keepH: number, workerId = 'w1', rootId = 'r0') {
  for (let h = hours; h >= 1; h--) {
    const startAt = NOW - h * H;
    void index.insertSegment({ cameraId, profile: 'sub', workerId, rootId, path: `${cameraId}/${h}.m4s`, initPath: 'i', startAt: new Date(startAt), endAt: new Date(startAt + H), bytes: 100, keepUntil: new Date(startAt + H + keepH * H) });
  }
}

describe('RecordingPruner', () => {
  it('deletes the segments past keepUntil (files first, then rows), skipping held ones and other workers\' rows', async () => {
    const index = new FakeIndex();
    seed(index, 'a', 10, 4); // ends at NOW-9h .. NOW, kept 4 h after: the 5 oldest are past (the 6th expires exactly now)
    seed(index, 'b', 10, 4, 'w2');
    index.holds.push({ cameraId: 'a', from: NOW - 9.5 * H, to: NOW - 9.4 * H }); // covers the oldest one
    const { fs, deleted } = deletions();
    const storage = new RecordingStorage({ id: 'r0', path: '/rec', quotaBytes: 1e9 }, fs, 0);
    storage.setUsed(2000);
    const report = await new RecordingPruner('w1', index, () => NOW, 2).prune(storage);
    expect(report).toEqual(expect.objectContaining({ expired: 4, overQuota: 0, bytesFreed: 400, stillOverQuota: false }));
    expect(deleted).toEqual([9, 8, 7, 6].map((h) => `/rec/a/${h}.m4s`));
    expect(index.rows.filter((r) => r.cameraId === 'a').map((r) => r.path)).toEqual(['a/10.m4s', 'a/5.m4s', 'a/4.m4s', 'a/3.m4s', 'a/2.m4s', 'a/1.m4s']);
    expect(index.rows.filter((r) => r.cameraId === 'b')).toHaveLength(10);
    expect(storage.usedBytes).toBe(1600);
  });

  it('over quota: deletes the oldest unheld segments until used bytes are within the quota, no more', async () => {
    const index = new FakeIndex();
    seed(index, 'a', 10, 1000);
    index.holds.push({ cameraId: 'a', from: NOW - 10 * H, to: NOW - 9 * H });
    const { fs, deleted } = deletions();
    const storage = new RecordingStorage({ id: 'r0', path: '/rec', quotaBytes: 650 }, fs, 0);
    storage.setUsed(1000);
    const report = await new RecordingPruner('w1', index, () => NOW).prune(storage);
    expect(report).toEqual(expect.objectContaining({ expired: 0, overQuota: 4, bytesFreed: 400, stillOverQuota: false }));
    expect(deleted).toEqual([9, 8, 7, 6].map((h) => `/rec/a/${h}.m4s`));
    expect(storage.usedBytes).toBe(600);
  });

  it('everything left is held: stops and says it is still over quota', async () => {
    const index = new FakeIndex();
    seed(index, 'a', 3, 1000);
    index.holds.push({ cameraId: 'a', from: 0, to: NOW });
    const storage = new RecordingStorage({ id: 'r0', path: '/rec', quotaBytes: 100 }, deletions().fs, 0);
    storage.setUsed(300);
    const report = await new RecordingPruner('w1', index, () => NOW).prune(storage);
    expect(report).toEqual(expect.objectContaining({ overQuota: 0, stillOverQuota: true }));
    expect(index.rows).toHaveLength(3);
  });
});
