import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeRecordingFs } from './recording-fs';
import { DISK_FULL_RETRY_MS, DiskFullError, initHashOf, RecordingLayout, RecordingStorage } from './recording-storage';

const KEY = { cameraId: '7d0c1f7e-0000-4000-8000-000000000001', profile: 'sub' as const };

/** The real file system, but writes fail with ENOSPC while `full` is set and free space is what the test says. */
class TightFs extends NodeRecordingFs {
  full = false;
  free = 10 * 2 ** 30;
  override async writeSynced(file: string, data: readonly Buffer[]): Promise<void> {
    await super.writeSynced(file, data.slice(0, 1)); // a partial write lands first, as on a real full disk
    if (this.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    await super.writeSynced(file, data);
  }
  override async freeBytes(): Promise<number> {
    return this.free;
  }
}

describe('RecordingStorage', () => {
  let dir: string;
  let now = 1_700_000_000_000;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rec-storage-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lays segments out by camera, profile, UTC day and hour, with the init hash in the name; parses it back', () => {
    const start = Date.UTC(2026, 11, 2, 23, 59, 58, 5);
    const path = RecordingLayout.segmentPath(KEY, start, 'abcdef0123456789');
    expect(path).toBe(`${KEY.cameraId}/sub/20261202/23/${start}-abcdef0123456789.m4s`);
    expect(RecordingLayout.parseSegmentPath(path)).toEqual({ ...KEY, startMs: start, initHash: 'abcdef0123456789', initPath: `${KEY.cameraId}/sub/init/abcdef0123456789.mp4` });
    expect(RecordingLayout.parseSegmentPath(`${KEY.cameraId}/sub/init/abcdef0123456789.mp4`)).toBeUndefined();
    expect(RecordingLayout.parseSegmentPath(`../x/sub/20261202/23/1-abcdef0123456789.m4s`)).toBeUndefined();
  });

  it('writes an init once per content and a segment through .tmp and rename; counts used bytes; remove frees them', async () => {
    const s = new RecordingStorage({ id: 'r0', path: dir, quotaBytes: 1e9 }, new NodeRecordingFs(), 0, () => now);
    await s.open();
    const init = Buffer.from('ftyp+moov');
    const a = await s.writeInit(KEY, init);
    const b = await s.writeInit(KEY, Buffer.from('ftyp+moov'));
    expect(a).toEqual(b);
    expect(a.path).toBe(`${KEY.cameraId}/sub/init/${initHashOf(init)}.mp4`);
    const seg = await s.writeSegment(KEY, now, a.hash, [Buffer.from('moof1'), Buffer.from('mdat1')]);
    expect(readFileSync(join(dir, seg.path), 'utf8')).toBe('moof1mdat1');
    expect(readdirSync(join(dir, seg.path, '..'))).toEqual([seg.path.split('/').pop()]); // no .tmp left
    expect(s.usedBytes).toBe(init.length + 10);
    expect(s.freeBytes).toBeGreaterThan(0); // statfs of the real disk
    expect(await s.remove([{ path: seg.path }])).toBe(10);
    expect(s.usedBytes).toBe(init.length);
  });

  it('ENOSPC: the .tmp is removed, DiskFullError, no writes for 10 s; then free space decides', async () => {
    const fs = new TightFs();
    const s = new RecordingStorage({ id: 'r0', path: dir, quotaBytes: 1e9 }, fs, 1000, () => now);
    await s.open();
    fs.full = true;
    await expect(s.writeSegment(KEY, now, 'abcdef0123456789', [Buffer.from('x'), Buffer.from('y')])).rejects.toBeInstanceOf(DiskFullError);
    expect(fs.walk(dir)).resolves.toEqual([]);
    expect(s.diskFull).toBe(true);
    expect(await s.writable()).toBe(false);
    now += DISK_FULL_RETRY_MS;
    fs.free = 999; // still below minFreeBytes
    expect(await s.writable()).toBe(false);
    now += DISK_FULL_RETRY_MS - 1;
    fs.free = 10_000;
    expect(await s.writable()).toBe(false); // not yet time to look again
    now += 1;
    expect(await s.writable()).toBe(true);
    expect(s.diskFull).toBe(false);
  });
});
