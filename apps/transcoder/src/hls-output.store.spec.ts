import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseHlsRoot, hlsRootFor, HlsOutputStore } from './hls-output.store';

describe('chooseHlsRoot', () => {
  it('prefers RAM-backed /dev/shm, else the temp dir', () => {
    expect(chooseHlsRoot('w1', () => true, '/tmp')).toBe('/dev/shm/tiergate-hls/w1');
    expect(chooseHlsRoot('w1', () => false, '/var/tmp')).toBe('/var/tmp/tiergate-hls/w1');
  });
  it.each(['../x', 'a/b', '', 'w 1'])('refuses worker id %j', (id) => {
    expect(() => chooseHlsRoot(id, () => true)).toThrow(/unsafe/);
    expect(() => hlsRootFor(id, '/srv/hls')).toThrow(/unsafe/);
  });
  it('uses transcoder.hlsDir when it is set', () => {
    expect(hlsRootFor('w1', '/srv/hls')).toBe('/srv/hls/w1');
    expect(hlsRootFor('w1', '')).toBe(chooseHlsRoot('w1'));
  });
});

describe('HlsOutputStore', () => {
  const base = mkdtempSync(join(tmpdir(), 'hls-store-'));
  const store = new HlsOutputStore(join(base, 'root'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('prepares an empty dir, sees the first segment only once listed, removes it', async () => {
    const dir = store.dirFor('cam1', 'main');
    expect(dir).toBe(join(base, 'root', 'cam1-main'));
    await store.prepare(dir);
    writeFileSync(join(dir, 'old.ts'), 'x');
    await store.prepare(dir);
    expect(existsSync(join(dir, 'old.ts'))).toBe(false);
    expect(await store.hasFirstSegment(dir)).toBe(false);
    writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n#EXT-X-TARGETDURATION:1\n');
    expect(await store.hasFirstSegment(dir)).toBe(false);
    writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n#EXTINF:1.0,\nseg_0.ts\n');
    expect(await store.hasFirstSegment(dir)).toBe(true);
    await store.remove(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it('a restart keeps only the named segments; reads the playlist; removes plain-named files only', async () => {
    const dir = store.dirFor('cam2', 'main');
    await store.prepare(dir);
    expect(await store.readPlaylist(dir)).toBeUndefined();
    for (const f of ['seg_7.ts', 'seg_8.ts', 'seg_9.ts.tmp', 'index.m3u8']) writeFileSync(join(dir, f), f);
    expect(await store.readPlaylist(dir)).toBe('index.m3u8');
    await store.prepare(dir, ['seg_8.ts', '../cam1-main/x', 'index.m3u8/..']);
    expect(readdirSync(dir)).toEqual(['seg_8.ts']); // the old playlist goes: the first-segment check must see the new run
    writeFileSync(join(base, 'root', 'outside.ts'), 'x');
    await store.removeFiles(dir, ['seg_8.ts', '../outside.ts', 'missing.ts']);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(base, 'root', 'outside.ts'))).toBe(true);
    await expect(store.readPlaylist('/etc')).rejects.toThrow(/outside/);
  });

  it('refuses ids and directories outside its root', async () => {
    expect(() => store.dirFor('../x', 'main')).toThrow();
    await expect(store.prepare(base)).rejects.toThrow(/outside/);
    await expect(store.remove('/etc')).rejects.toThrow(/outside/);
  });
});
