import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carryQuery, HlsHttpServer, parseHlsPath, type AuthorizeHook } from './hls-http.server';

describe('parseHlsPath', () => {
  it.each([
    ['/hls/cam1/main/index.m3u8', { cameraId: 'cam1', profile: 'main', file: 'index.m3u8', contentType: 'application/vnd.apple.mpegurl' }],
    ['/hls/cam-1_x/sub/seg_12.ts?token=abc', { cameraId: 'cam-1_x', profile: 'sub', file: 'seg_12.ts', contentType: 'video/mp2t' }],
  ])('accepts %s', (url, expected) => {
    expect(parseHlsPath(url)).toEqual(expected);
  });
  it.each([
    '/hls/cam1/main/../../etc/passwd', '/hls/cam1/main/..%2f..%2fetc%2fpasswd', '/hls/cam1/main/%2e%2e', '/hls/../main/index.m3u8',
    '/hls/cam1/hd/index.m3u8', '/hls/cam1/main/seg_1.ts.tmp', '/hls/cam1/main/index.m3u8.tmp', '/hls/cam1/main/.hidden.ts',
    '/hls/cam1/main/', '/hls/cam1/main/a/b.ts', '/other/cam1/main/index.m3u8', '/hls/cam%201/main/index.m3u8', undefined, '',
  ])('rejects %s', (url) => {
    expect(parseHlsPath(url)).toBeUndefined();
  });
});

describe('carryQuery', () => {
  const pl = Buffer.from('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:1.0,\nseg_3.ts\n#EXTINF:1.0,\nseg_4.ts\n');
  it('appends the playlist query to segment lines only', () => {
    expect(carryQuery(pl, '/hls/c/main/index.m3u8?t=abc.def-1').toString()).toBe('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:1.0,\nseg_3.ts?t=abc.def-1\n#EXTINF:1.0,\nseg_4.ts?t=abc.def-1\n');
  });
  it.each([['/hls/c/main/index.m3u8'], ['/hls/c/main/index.m3u8?'], ['/hls/c/main/index.m3u8?t=<script>'], [undefined]])('leaves %s untouched', (url) => {
    expect(carryQuery(pl, url)).toBe(pl);
  });
});

describe('HlsHttpServer', () => {
  const root = mkdtempSync(join(tmpdir(), 'hls-http-'));
  const dir = join(root, 'cam1-main');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n#EXTINF:1.0,\nseg_0.ts\n');
  writeFileSync(join(dir, 'seg_0.ts'), Buffer.alloc(188 * 4, 0x47));
  writeFileSync(join(root, 'secret.ts'), 'nope');
  const touches: string[] = [];
  const source = {
    outputDirOf: (c: string, p: string) => (c === 'cam1' && p === 'main' ? dir : undefined),
    touch: (c: string, p: string) => (touches.push(`${c}/${p}`), true),
  };
  const servers: HlsHttpServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(root, { recursive: true, force: true });
  });
  async function start(authorize?: AuthorizeHook): Promise<string> {
    const server = new HlsHttpServer({ source, authorize });
    servers.push(server);
    const { port } = await server.listen();
    return `http://127.0.0.1:${port}`;
  }

  it('denies everything when no authorize hook is given (404)', async () => {
    const base = await start();
    const res = await fetch(`${base}/hls/cam1/main/index.m3u8`);
    expect(res.status).toBe(404);
    expect(touches).toEqual([]);
  });

  it('serves playlists uncached and segments with the right types, touching the session', async () => {
    const base = await start((req) => new URL(req.url!, 'http://x').searchParams.get('token') === 'ok');
    const pl = await fetch(`${base}/hls/cam1/main/index.m3u8?token=ok`);
    expect(pl.status).toBe(200);
    expect(pl.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(pl.headers.get('cache-control')).toMatch(/no-cache/);
    expect(await pl.text()).toBe('#EXTM3U\n#EXTINF:1.0,\nseg_0.ts?token=ok\n'); // token carried to relative segment URIs
    const seg = await fetch(`${base}/hls/cam1/main/seg_0.ts?token=ok`);
    expect(seg.status).toBe(200);
    expect(seg.headers.get('content-type')).toBe('video/mp2t');
    expect((await seg.arrayBuffer()).byteLength).toBe(188 * 4);
    expect(touches).toEqual(['cam1/main', 'cam1/main']);
  });

  it('serves the session timeline playlist when the source keeps one, even while ffmpeg has none on disk', async () => {
    const seen: (string | undefined)[] = [];
    const timeline = {
      ...source,
      outputDirOf: (c: string) => (c === 'cam1' ? dir : c === 'cam3' ? join(root, 'cam3-main') : undefined),
      playlist: (c: string, _p: string, onDisk: string | undefined) => (seen.push(onDisk), c === 'cam1' ? '#EXTM3U\n#EXTINF:1,\nseg_41.ts\n' : undefined),
    };
    const server = new HlsHttpServer({ source: timeline, authorize: () => true });
    servers.push(server);
    const base = `http://127.0.0.1:${(await server.listen()).port}`;
    const pl = await fetch(`${base}/hls/cam1/main/index.m3u8?token=t`);
    expect(await pl.text()).toBe('#EXTM3U\n#EXTINF:1,\nseg_41.ts?token=t\n');
    expect(pl.headers.get('content-length')).toBe(String('#EXTM3U\n#EXTINF:1,\nseg_41.ts?token=t\n'.length));
    expect((await fetch(`${base}/hls/cam3/main/index.m3u8`)).status).toBe(404); // nothing to list
    expect(seen).toEqual(['#EXTM3U\n#EXTINF:1.0,\nseg_0.ts\n', undefined]);
  });

  it('answers denied, unknown, missing and traversal requests with the same 404', async () => {
    const base = await start((req) => new URL(req.url!, 'http://x').searchParams.get('token') === 'ok');
    const bodies = new Set<string>();
    for (const path of [
      '/hls/cam1/main/index.m3u8?token=bad',
      '/hls/cam2/main/index.m3u8?token=ok',
      '/hls/cam1/main/seg_9.ts?token=ok',
      '/hls/cam1/main/..%2Fsecret.ts?token=ok',
      '/hls/cam1/main/../secret.ts?token=ok',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(404);
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
  });
});
