/**
 * Static-media mode (docs/delivery.md): a whole Tiergate process (gateway + worker + partitioner) with
 * `transcoder.staticMediaUrl` set, Debian's nginx as a child in a temp dir with the generated configuration
 * (secure_link), simulated cameras. The playlist still goes through the gateway with the full token and grant
 * check; its segment URIs are signed links that nginx serves. Tampered, expired, missing and foreign signatures,
 * other paths and directories are all 404; a revoked grant stops the playlist, so no new segment is ever signed
 * for that viewer, and the links already handed out die with their expiry.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { districtCode, generateDistrict } from '@tiergate/domain';
import { locateFfmpeg } from '@tiergate/media';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src/fleet';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { TranscoderHost } from '../../apps/transcoder/src/transcoder.host';
import { mediaLinkQuery, mediaLinkSecretOf } from '../../apps/transcoder/src/static-media/media-link';
import { hasSecureLink, locateNginx, startNginx, type NginxChild } from '../../apps/transcoder/src/static-media/nginx-child';
import { districtNodes, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, type TestProcess } from '../support/harness';
import { freePort } from '../support/tcp-relay';

jest.setTimeout(90_000);

const SECRET_KEY = 'integration-test-secret-key'; // the harness's auth.secretKey
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const segmentLines = (playlist: string) => playlist.split('\n').filter((l) => l && !l.startsWith('#'));

describe('static-media mode: checked playlists, segments from nginx with secure_link', () => {
  const external = process.env.TIERGATE_TEST_MODE === 'external';
  const district = generateDistrict({ stations: 2, postsPerStation: 1, sizeKm: 2, seed: 7 });
  const R = '210103';
  const work = mkdtempSync(join(tmpdir(), 'tg-static-media-'));
  const hlsDir = join(work, 'hls');
  const secret = mediaLinkSecretOf(SECRET_KEY);
  let nginx: NginxChild;
  let media: string;
  let tg: TestProcess;
  let fleet: Fleet;
  let admin: string;
  let viewer: string;
  let viewerId: string;
  const cams: string[] = [];

  const live = async (token: string, cameraId: string) => {
    const res = await fetch(`${tg.url}/api/cameras/${cameraId}/live`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'sub' }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { hlsUrl: string };
  };
  /** The playlist once it lists at least `n` segments (a starting session lists one, then more). */
  const playlistWith = async (hlsUrl: string, n = 2): Promise<string> => {
    for (let i = 0; ; i++) {
      const res = await fetch(hlsUrl);
      expect(res.status).toBe(200);
      const text = await res.text();
      if (segmentLines(text).length >= n || i > 50) return text;
      await sleep(200);
    }
  };

  beforeAll(async () => {
    const bin = locateNginx({ PATH: process.env.PATH });
    if (!bin || !hasSecureLink(bin)) throw new Error('nginx with secure_link is needed: apt-get install -y nginx-light (.ci/run installs it)');
    const port = await freePort('127.0.0.1');
    media = `http://127.0.0.1:${port}`;
    nginx = await startNginx(bin, { host: '127.0.0.1', port, root: hlsDir, secret, runDir: join(work, 'nginx'), workers: 1 });
    fleet = await startCameraFleet({ count: 2, firstAddress: `127.0.${external ? 94 : 93}.1`, password: 'sim-pass' });
    tg = await startTestProcess(
      { name: 'static-media-test', modules: [PartitionerModule, GatewayModule, TranscoderModule], http: true },
      { 'transcoder.startTimeoutMs': 10000, 'health.intervalSeconds': 3600, 'transcoder.hlsDir': hlsDir, 'transcoder.staticMediaUrl': media },
    );
    const ids = await seedJurisdictions(tg, districtNodes(district));
    admin = await tg.login();
    viewer = await userToken(tg, admin, 'static-grantee', 'viewer', ids.get(districtCode(R, 1))!);
    viewerId = (await tg.call('GET', '/api/users', { token: admin })).body.find((u: { username: string }) => u.username === 'static-grantee').id;
    for (const [i, cam] of fleet.cameras.entries()) {
      const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: `static ${i}`, onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' }, jurisdictionId: ids.get(districtCode(R, 2, 1)) } });
      if (res.status !== 201) throw new Error(`camera ${i}: ${res.status} ${res.text}`);
      cams.push(res.body.id);
    }
  }, 120_000);
  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
    await nginx?.stop(); // by its PID
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps hlsUrl on the gateway; the playlist lists signed nginx links (no stream token) that serve the files on disk', async () => {
    const { hlsUrl } = await live(admin, cams[0]!);
    expect(hlsUrl.startsWith(`${tg.url}/hls/${cams[0]}/sub/index.m3u8?token=`)).toBe(true);
    const playlist = await playlistWith(hlsUrl);
    const workerId = tg.running.app.get(TranscoderHost).workerId;
    const links = segmentLines(playlist);
    for (const link of links) {
      const url = new URL(link);
      expect(url.origin).toBe(media);
      expect(url.pathname).toMatch(new RegExp(`^/${workerId}/${cams[0]}-sub/seg_\\d+\\.ts$`));
      expect([...url.searchParams.keys()]).toEqual(['md5', 'expires']);
      expect(Number(url.searchParams.get('expires')) - Date.now() / 1000).toBeGreaterThan(13); // 15 s links
    }
    const newest = links.at(-1)!;
    const res = await fetch(newest);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp2t');
    expect(res.headers.get('access-control-allow-origin')).toBe('*'); // hls.js in the console fetches cross-origin
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(readFileSync(join(hlsDir, new URL(newest).pathname)))).toBe(true);
    expect(body[0]).toBe(0x47); // MPEG-TS sync byte
  });

  it('plays the hlsUrl in ffprobe, and like hls.js: each refresh\'s new segments load from nginx, in sequence', async () => {
    const { hlsUrl } = await live(admin, cams[0]!);
    const { ffprobePath } = locateFfmpeg({ PATH: process.env.PATH });
    const probed = await new Promise<string>((resolve, reject) =>
      execFile(ffprobePath, ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', hlsUrl], { timeout: 20_000 }, (err, out, errOut) => (err ? reject(new Error(`ffprobe failed: ${errOut}`)) : resolve(out.trim()))));
    expect(probed).toMatch(/^h264,\d+,\d+/);

    const seen = new Map<number, number>(); // media sequence → bytes
    for (let refresh = 0; refresh < 4; refresh++) {
      const playlist = await playlistWith(hlsUrl);
      let sn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)![1]);
      for (const line of segmentLines(playlist)) {
        if (!seen.has(sn)) {
          const res = await fetch(new URL(line, hlsUrl)); // absolute: resolves to itself
          expect([line, res.status]).toEqual([line, 200]);
          seen.set(sn, (await res.arrayBuffer()).byteLength);
        }
        sn++;
      }
      await sleep(1000);
    }
    const numbers = [...seen.keys()].sort((a, b) => a - b);
    expect(numbers.length).toBeGreaterThanOrEqual(4);
    expect(numbers.at(-1)! - numbers[0]!).toBe(numbers.length - 1); // no gap
    expect([...seen.values()].every((b) => b > 10_000)).toBe(true);
  });

  it('answers 404 for a tampered, expired, missing or foreign signature, another path, a directory and a playlist', async () => {
    const a = segmentLines(await playlistWith((await live(admin, cams[0]!)).hlsUrl)).at(-1)!;
    const b = segmentLines(await playlistWith((await live(admin, cams[1]!)).hlsUrl)).at(-1)!;
    expect((await fetch(a)).status).toBe(200);
    expect((await fetch(b)).status).toBe(200);
    const ua = new URL(a);
    const md5 = ua.searchParams.get('md5')!;
    const tampered = new URL(a);
    tampered.searchParams.set('md5', (md5[0] === 'A' ? 'B' : 'A') + md5.slice(1));
    const later = new URL(a);
    later.searchParams.set('expires', String(Number(ua.searchParams.get('expires')) + 3600)); // a longer life, same signature
    const past = Math.floor(Date.now() / 1000) - 1;
    const expired = `${media}${ua.pathname}?${mediaLinkQuery(ua.pathname, past, secret)}`;
    const foreign = `${media}${new URL(b).pathname}${ua.search}`; // camera B's real segment, camera A's signature
    const dir = ua.pathname.slice(0, ua.pathname.lastIndexOf('/'));
    const playlist = `${dir}/index.m3u8`;
    const cases = {
      tampered: tampered.toString(),
      extended: later.toString(),
      expired,
      unsigned: `${media}${ua.pathname}`,
      foreign,
      directory: `${media}${dir}/?${mediaLinkQuery(`${dir}/`, past + 60, secret)}`,
      signedPlaylist: `${media}${playlist}?${mediaLinkQuery(playlist, past + 60, secret)}`,
      inside: `${media}${dir}/../${new URL(b).pathname.split('/').slice(-2).join('/')}${ua.search}`, // normalised to camera B's file
      root: `${media}/`,
    };
    const got: Record<string, number> = {};
    for (const [name, url] of Object.entries(cases)) got[name] = (await fetch(url)).status;
    expect(got).toEqual(Object.fromEntries(Object.keys(cases).map((k) => [k, 404])));
    expect((await fetch(a, { method: 'POST' })).status).toBe(404);
    // a path above the root is refused by nginx itself (400) before any location is looked at
    expect([400, 404]).toContain((await fetch(`${media}${dir}/..%2f..%2f..%2f..%2fetc%2fpasswd${ua.search}`)).status);
  });

  it('a revoked grant stops the playlist at the next refresh: no new segment is signed for that viewer, held links expire', async () => {
    const grant = await tg.call('POST', '/api/grants', { token: admin, body: { cameraId: cams[1], granteeUserId: viewerId, expiresAt: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(grant.status).toBe(201);
    await sleep(300); // the access snapshot hears of the grant
    const { hlsUrl } = await live(viewer, cams[1]!);
    const held = segmentLines(await playlistWith(hlsUrl)).at(-1)!;
    expect((await fetch(held)).status).toBe(200);

    expect((await tg.call('DELETE', `/api/grants/${grant.body.id}`, { token: admin })).status).toBe(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 3000) {
      status = (await fetch(hlsUrl)).status;
      if (status === 200) await sleep(100);
    }
    expect(status).toBe(404);
    // eslint-disable-next-line no-console
    console.log(`playlist refused ${Date.now() - revokedAt} ms after the grant was revoked`);

    // a segment made after the revocation: the viewer's last signature does not open it
    const adminUrl = (await live(admin, cams[1]!)).hlsUrl;
    const heldName = new URL(held).pathname;
    let fresh: URL | undefined;
    while (!fresh) {
      fresh = segmentLines(await playlistWith(adminUrl)).map((l) => new URL(l)).find((u) => u.pathname > heldName && u.pathname.length >= heldName.length);
      if (!fresh) await sleep(300);
    }
    expect((await fetch(`${media}${fresh.pathname}${new URL(held).search}`)).status).toBe(404);

    // the link held at revocation lives out its expiry, then stops too
    const expiresAt = Number(new URL(held).searchParams.get('expires')) * 1000;
    const stillThere = (await fetch(held)).status;
    await sleep(Math.max(0, expiresAt - Date.now()) + 1100);
    const after = (await fetch(held)).status;
    expect([stillThere === 200 || stillThere === 404, after]).toEqual([true, 404]); // 404 before: already deleted (left the window)
  });
});
