import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HlsHttpServer } from '../hls-http.server';
import { mediaLinkSignature } from './media-link';
import { linkSegmentsToStaticMedia, StaticMediaLinks } from './static-media.links';

const PLAYLIST = [
  '#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:1', '#EXT-X-MEDIA-SEQUENCE:1700000000123',
  '#EXT-X-DISCONTINUITY-SEQUENCE:1', '#EXTINF:1.000000,', 'seg_1700000000123.ts', '#EXT-X-DISCONTINUITY', '#EXTINF:0.960000,', 'seg_1700000000124.ts', '',
].join('\n');

describe('linkSegmentsToStaticMedia', () => {
  const opts = { origin: 'https://media.example:8091', dirPath: '/media/w1/cam-main', secret: 'k', nowMs: 1_700_000_000_400 };

  it('turns each segment line into a signed nginx link and leaves every tag as it is', () => {
    const out = linkSegmentsToStaticMedia(PLAYLIST, opts).split('\n');
    const expires = 1_700_000_000 + 15; // 1.96 s listed: the 15 s floor
    const link = (file: string) => `https://media.example:8091/media/w1/cam-main/${file}?md5=${mediaLinkSignature(`/media/w1/cam-main/${file}`, expires, 'k')}&expires=${expires}`;
    expect(out).toEqual(PLAYLIST.split('\n').map((l) => (l.startsWith('seg_') ? link(l) : l)));
  });

  it('lets links live twice the listed duration when that is longer than the floor', () => {
    const long = Array.from({ length: 6 }, (_, i) => `#EXTINF:4.000000,\nseg_${i}.ts`).join('\n'); // 24 s listed
    const first = linkSegmentsToStaticMedia(long, opts).split('\n')[1]!;
    expect(new URL(first).searchParams.get('expires')).toBe(String(1_700_000_000 + 48));
    expect(new URL(linkSegmentsToStaticMedia(long, { ...opts, minTtlSeconds: 60 }).split('\n')[1]!).searchParams.get('expires')).toBe(String(1_700_000_000 + 60));
  });

  it('leaves lines that are not plain segment names alone (no nested playlist, no URL, no traversal)', () => {
    const odd = '#EXTM3U\n#EXTINF:1,\nother.m3u8\n#EXTINF:1,\n../x.ts\n#EXTINF:1,\nhttp://elsewhere/seg.ts\n';
    expect(linkSegmentsToStaticMedia(odd, opts)).toBe(odd);
  });
});

describe('StaticMediaLinks', () => {
  const links = new StaticMediaLinks({ baseUrl: 'http://127.0.0.1:8091/media/', servedRoot: '/dev/shm/tiergate-hls', secret: 'k', now: () => 1_700_000_000_000 });

  it('maps a session directory under the served root to its URL path, and nothing else', () => {
    expect(links.dirPathOf('/dev/shm/tiergate-hls/w1/cam-main')).toBe('/media/w1/cam-main');
    expect(links.dirPathOf('/tmp/other/w1/cam-main')).toBeUndefined();
    expect(links.dirPathOf('/dev/shm/tiergate-hls')).toBeUndefined();
    expect(links.dirPathOf('/dev/shm/tiergate-hls/w 1/cam-main')).toBeUndefined();
    expect(links.rewrite(PLAYLIST, '/tmp/other/w1/cam-main')).toBeUndefined();
  });

  it('signs with the clock it is given', () => {
    const first = links.rewrite(PLAYLIST, '/dev/shm/tiergate-hls/w1/cam-main')!.split('\n').find((l) => l.startsWith('http'))!;
    expect(first.startsWith('http://127.0.0.1:8091/media/w1/cam-main/seg_1700000000123.ts?md5=')).toBe(true);
    expect(new URL(first).searchParams.get('expires')).toBe('1700000015');
  });

  it('refuses a base URL with a query', () => {
    expect(() => new StaticMediaLinks({ baseUrl: 'http://h/x?y=1', servedRoot: '/r', secret: 'k' })).toThrow();
  });
});

describe('HlsHttpServer in static-media mode', () => {
  const root = mkdtempSync(join(tmpdir(), 'hls-static-'));
  const dir = join(root, 'w1', 'cam1-main');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n#EXTINF:1.0,\nseg_0.ts\n');
  writeFileSync(join(dir, 'seg_0.ts'), Buffer.alloc(188, 0x47));
  const source = { outputDirOf: (c: string) => (c === 'cam1' ? dir : undefined), touch: () => true };
  let server: HlsHttpServer;
  let base: string;
  beforeAll(async () => {
    const segmentLinks = new StaticMediaLinks({ baseUrl: 'http://media.test:8091', servedRoot: root, secret: 'k', now: () => 1_700_000_000_000 });
    server = new HlsHttpServer({ source, authorize: (req) => new URL(req.url!, 'http://x').searchParams.get('token') === 'ok', segmentLinks });
    base = `http://127.0.0.1:${(await server.listen()).port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the checked playlist with signed links instead of token-carrying relative URIs (no token in them)', async () => {
    const res = await fetch(`${base}/hls/cam1/main/index.m3u8?token=ok`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const md5 = mediaLinkSignature('/w1/cam1-main/seg_0.ts', 1_700_000_015, 'k');
    expect(text).toBe(`#EXTM3U\n#EXTINF:1.0,\nhttp://media.test:8091/w1/cam1-main/seg_0.ts?md5=${md5}&expires=1700000015\n`);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  });

  it('still checks the token on the playlist, and still serves segments on the checked path', async () => {
    expect((await fetch(`${base}/hls/cam1/main/index.m3u8?token=bad`)).status).toBe(404);
    expect((await fetch(`${base}/hls/cam1/main/seg_0.ts?token=ok`)).status).toBe(200);
  });
});
