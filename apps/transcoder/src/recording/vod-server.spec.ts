import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaybackGrant } from '@tiergate/access';
import { insideRoot, VodServer, type VodSegmentRow } from './vod-server';

const CAM = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const T0 = Date.UTC(2026, 0, 5, 10);
const INIT = `${CAM}/sub/init/00112233445566aa.mp4`;

describe('VodServer', () => {
  const root = mkdtempSync(join(tmpdir(), 'vod-server-'));
  const row = (id: string, fromS: number, toS: number, over: Partial<VodSegmentRow> = {}): VodSegmentRow => ({
    id, cameraId: CAM, profile: 'sub', workerId: 'w1', rootId: 'r0', path: `${CAM}/sub/20260105/10/${id}.m4s`, initPath: INIT,
    startAt: new Date(T0 + fromS * 1000), endAt: new Date(T0 + toS * 1000), ...over,
  });
  const rows = [row('1', 0, 4), row('2', 4, 8), row('3', 8, 12), row('4', 4, 8, { cameraId: OTHER }), row('5', 12, 16, { workerId: 'w2' })];
  const grants: Record<string, PlaybackGrant> = {
    good: { userId: 'u', cameraId: CAM, profile: 'sub', from: T0 + 2000, to: T0 + 9000 },
  };
  let server: Server;
  let base: string;

  beforeAll(async () => {
    mkdirSync(join(root, CAM, 'sub', 'init'), { recursive: true });
    mkdirSync(join(root, CAM, 'sub', '20260105', '10'), { recursive: true });
    writeFileSync(join(root, INIT), 'INIT');
    for (const r of rows) writeFileSync(join(root, r.path), `SEG${r.id}`);
    const vod = new VodServer({
      workerId: 'w1',
      roots: new Map([['r0', root]]),
      index: {
        segmentsOf: async (c, p, from, to) => rows.filter((r) => r.cameraId === c && r.profile === p && r.startAt < to && r.endAt > from),
        segmentById: async (id) => rows.find((r) => r.id === id),
      },
      rangeOf: (token, c, p) => {
        const g = token ? grants[token] : undefined;
        return g && g.cameraId === c && g.profile === p ? g : undefined;
      },
    });
    server = createServer((req, res) => void vod.handle(req, res).then((done) => done || res.writeHead(418).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, text: await res.text() };
  };

  it('serves the playlist of the token’s range with the token on every URI', async () => {
    const { status, text } = await get(`/vod/${CAM}/sub/index.m3u8?token=good`);
    expect(status).toBe(200);
    const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(uris.map((u) => u.split('?')[0])).toEqual(['1.m4s', '2.m4s', '3.m4s']);
    for (const u of uris) expect(new URLSearchParams(u.split('?')[1]).get('token')).toBe('good');
    expect(text).toContain('#EXT-X-MAP:URI="init_00112233445566aa.mp4?from=2026-01-05T10%3A00%3A02.000Z&to=2026-01-05T10%3A00%3A09.000Z&token=good"');
  });
  it('serves a segment of the range and the init it names', async () => {
    expect(await get(`/vod/${CAM}/sub/2.m4s?token=good`)).toEqual({ status: 200, text: 'SEG2' });
    expect(await get(`/vod/${CAM}/sub/init_00112233445566aa.mp4?token=good`)).toEqual({ status: 200, text: 'INIT' });
  });
  it('answers the same 404 to no token, another camera’s row, a row outside the range, a row of another worker, a bad name', async () => {
    const notFound = { status: 404, text: JSON.stringify({ code: 'NOT_FOUND', message: 'not found' }) };
    expect(await get(`/vod/${CAM}/sub/2.m4s`)).toEqual(notFound);
    expect(await get(`/vod/${CAM}/sub/2.m4s?token=bad`)).toEqual(notFound);
    expect(await get(`/vod/${CAM}/main/2.m4s?token=good`)).toEqual(notFound);
    expect(await get(`/vod/${CAM}/sub/4.m4s?token=good`)).toEqual(notFound); // camera B's segment under A's path and token
    expect(await get(`/vod/${OTHER}/sub/4.m4s?token=good`)).toEqual(notFound);
    expect(await get(`/vod/${CAM}/sub/5.m4s?token=good`)).toEqual(notFound); // outside the range (and not here)
    expect(await get(`/vod/${CAM}/sub/init_ffffffffffffffff.mp4?token=good`)).toEqual(notFound);
    expect(await get(`/vod/${CAM}/sub/..%2F..%2Fetc%2Fpasswd?token=good`)).toEqual(notFound);
  });
  it('leaves other paths to the next handler', async () => {
    expect((await get('/hls/x/sub/index.m3u8')).status).toBe(418);
  });
  it('insideRoot keeps row paths inside their root', () => {
    expect(insideRoot('/srv/rec', 'a/b.m4s')).toBe('/srv/rec/a/b.m4s');
    expect(insideRoot('/srv/rec', '../etc/passwd')).toBeUndefined();
    expect(insideRoot('/srv/rec', '/etc/passwd')).toBeUndefined();
    expect(insideRoot(undefined, 'a')).toBeUndefined();
  });
});
