import { Repository } from 'typeorm';
import { SecretBox } from '@tiergate/access';
import { CameraEntity } from '@tiergate/persistence';
import { Fleet, startCameraFleet } from '../apps/camera-sim/src';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { startTestProcess, TestProcess } from './support/harness';

const square = (lon: number, lat: number, d: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });

describe('camera snapshots for the post PCs', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let admin: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 2, firstAddress: '127.0.5.1', onvifPort: 18600, rtspPort: 18654 });
    tg = await startTestProcess({ name: 'snapshots', modules: [GatewayModule], http: true });
    admin = await tg.login();
    const tree = await tg.call('POST', '/api/jurisdictions/import', {
      token: admin,
      body: {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'S1', name: 'Station 1', tier: 'station', parentCode: null }, geometry: square(123.4, 41.7, 0.1) },
          { type: 'Feature', properties: { code: 'S2', name: 'Station 2', tier: 'station', parentCode: null }, geometry: square(123.6, 41.7, 0.1) },
        ],
      },
    });
    expect(tree.status).toBe(200);
    const nodes = (await tg.call('GET', '/api/jurisdictions', { token: admin })).body as { id: string; code: string }[];
    const s1 = nodes.find((n) => n.code === 'S1')!.id;
    const s2 = nodes.find((n) => n.code === 'S2')!.id;
    const repo = tg.running.infra.database.dataSource.getRepository(CameraEntity);
    const box = tg.running.app.get(SecretBox);
    const add = (name: string, index: number, password: string) => {
      const cam = fleet.cameras[index];
      return repo
        .save(repo.create({ name, jurisdictionId: s1, onvifHost: cam.host, onvifPort: cam.onvifPort, username: 'admin', passwordSealed: box.seal(password), snapshotUri: `http://10.9.9.9:${cam.onvifPort}/onvif/snapshot/profile_main.jpg`, profiles: [], tags: ['garage'] }))
        .then((c) => c.id);
    };
    ids.good = await add('garage cam', 0, 'sim-pass');
    ids.badPassword = await add('wrong password', 1, 'nope');
    for (const [username, jurisdictionId] of [['post-s1', s1], ['post-s2', s2]]) {
      expect((await tg.call('POST', '/api/users', { token: admin, body: { username, password: 'viewer-pass-1', role: 'viewer', jurisdictionId } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
  });

  const snap = async (token: string, id: string) => {
    const res = await fetch(`${tg.url}/api/cameras/${id}/snapshot`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  };

  it('serves the camera JPEG (digest-authenticated, NAT host rewritten) to a user in scope', async () => {
    const res = await snap(await tg.login('post-s1', 'viewer-pass-1'), ids.good);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^image\/jpeg/);
    expect(res.body.subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('answers an out-of-scope user exactly like a missing camera', async () => {
    const other = await tg.login('post-s2', 'viewer-pass-1');
    const outOfScope = await tg.call('GET', `/api/cameras/${ids.good}/snapshot`, { token: other });
    const missing = await tg.call('GET', '/api/cameras/00000000-0000-4000-8000-000000000000/snapshot', { token: other });
    expect(outOfScope.status).toBe(404);
    expect(outOfScope.body).toEqual(missing.body);
  });

  it('reports refused credentials and an offline camera as 502 with a code, never the password', async () => {
    const wrong = await tg.call('GET', `/api/cameras/${ids.badPassword}/snapshot`, { token: admin });
    expect(wrong.status).toBe(502);
    expect(wrong.body.code).toBe('CAMERA_UNAUTHORIZED');
    expect(wrong.text).not.toMatch(/nope/);
    await fleet.cameras[0].goOffline();
    await new Promise((r) => setTimeout(r, 2100)); // past the 2 s cache
    const offline = await tg.call('GET', `/api/cameras/${ids.good}/snapshot`, { token: admin });
    expect(offline.status).toBe(502);
    expect(offline.body.code).toBe('CAMERA_UNREACHABLE');
  });
});
