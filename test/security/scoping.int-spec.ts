import { randomUUID } from 'node:crypto';
import type { Geometry } from '@tiergate/domain';
import { CameraEntity, DiscoverySweepEntity } from '@tiergate/persistence';
import { HIDDEN_CONFLICT } from '../../apps/gateway/src/cameras/camera-conflict';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { seedCameras, seedJurisdictions } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

// Issue 11 items 10 and 11: sweeps belong to who started them and their administrators; refused
// duplicates and grants do not reveal cameras, users or nodes outside the caller's scope.
// Addresses: 127.0.84.x (nothing listens there; nothing is contacted).
const NET = '127.0.84';
const square = (x: number, y: number, d: number): Geometry => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

describe('security: sweeps, duplicates and grants are scoped', () => {
  let tg: TestProcess;
  let admin: string;
  let ids: Map<string, string>;
  const users: Record<string, { token: string; id: string }> = {};
  let sweepId: string;
  let stationBCamera: string;
  let stationACamera: string;

  async function user(username: string, role: string, code: string) {
    const password = `${username}-Passw0rd!x`;
    const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password, role, jurisdictionId: ids.get(code) } });
    if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${res.text}`);
    const login = await tg.call('POST', '/api/auth/login', { body: { username, password } });
    users[username] = { token: login.body.accessToken, id: login.body.user.id };
  }

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'scoping-test', modules: [PartitionerModule, GatewayModule], http: true });
    admin = await tg.login();
    ids = await seedJurisdictions(tg, [
      { code: 'SEC-R', name: 'Bureau', tier: 'subbureau', parentCode: null, geometry: square(120, 30, 0.2) },
      { code: 'SEC-A', name: 'Station A', tier: 'station', parentCode: 'SEC-R', geometry: square(120, 30, 0.1) },
      { code: 'SEC-B', name: 'Station B', tier: 'station', parentCode: 'SEC-R', geometry: square(120.1, 30, 0.1) },
      { code: 'SEC-A1', name: 'Post A1', tier: 'post', parentCode: 'SEC-A', geometry: square(120, 30, 0.05) },
    ]);
    await user('sec-op-a1', 'operator', 'SEC-A1');
    await user('sec-op-a1-other', 'operator', 'SEC-A1');
    await user('sec-admin-a', 'admin', 'SEC-A');
    await user('sec-admin-a1', 'admin', 'SEC-A1');
    await user('sec-admin-b', 'admin', 'SEC-B');
    await user('sec-op-b', 'operator', 'SEC-B');
    const ds = tg.running.infra.database.dataSource;
    [stationACamera] = await seedCameras(tg, [{ name: 'a-cam', lon: 120.02, lat: 30.02, jurisdictionId: ids.get('SEC-A1')! }]);
    stationBCamera = randomUUID();
    await ds.getRepository(CameraEntity).insert({
      id: stationBCamera,
      name: 'b-cam',
      lon: 120.15,
      lat: 30.05,
      jurisdictionId: ids.get('SEC-B')!,
      tags: [],
      profiles: [],
      onvifHost: `${NET}.20`,
      onvifPort: 80,
      rtspUrl: `rtsp://${NET}.21:554/b`,
      endpointReference: 'urn:uuid:00000000-0000-4000-8000-0000000000b1',
    });
    // A finished sweep started by the post operator (the discovery app writes these rows).
    const sweep = await ds.getRepository(DiscoverySweepEntity).save({
      state: 'done',
      progress: 1,
      params: { cidr: `${NET}.0/24`, multicast: false, ports: [80] },
      found: [
        { endpoint: 'urn:uuid:00000000-0000-4000-8000-0000000000a9', host: `${NET}.30`, port: 80, xaddr: `http://${NET}.30/onvif/device_service`, scopes: [] },
        { endpoint: 'urn:uuid:00000000-0000-4000-8000-0000000000b1', host: `${NET}.20`, port: 80, xaddr: `http://${NET}.20/onvif/device_service`, scopes: [] },
      ],
      error: null,
      createdBy: users['sec-op-a1'].id,
      finishedAt: new Date(),
    });
    sweepId = sweep.id;
  });
  afterAll(() => tg?.stop());

  it('a sweep is read only by its starter, admins whose subtree holds the starter, and the built-in admin; others get the 404 of a missing sweep', async () => {
    const missing = await tg.call('GET', `/api/discovery/sweeps/${randomUUID()}`, { token: users['sec-admin-b'].token });
    expect(missing.status).toBe(404);
    for (const who of ['sec-op-a1', 'sec-admin-a', 'sec-admin-a1']) {
      const res = await tg.call('GET', `/api/discovery/sweeps/${sweepId}`, { token: users[who].token });
      expect({ who, status: res.status, found: res.body?.found?.length }).toEqual({ who, status: 200, found: 2 });
    }
    expect((await tg.call('GET', `/api/discovery/sweeps/${sweepId}`, { token: admin })).status).toBe(200);
    for (const who of ['sec-op-a1-other', 'sec-admin-b', 'sec-op-b']) {
      const res = await tg.call('GET', `/api/discovery/sweeps/${sweepId}`, { token: users[who].token });
      expect({ who, status: res.status, text: res.text }).toEqual({ who, status: 404, text: missing.text });
    }
  });

  it('findings of a sweep are onboarded only by those who may read it', async () => {
    const body = { sweepId, endpoints: ['urn:uuid:not-a-finding'], username: 'u', password: 'p' };
    const missing = await tg.call('POST', '/api/cameras/from-sweep', { token: users['sec-op-b'].token, body: { ...body, sweepId: randomUUID() } });
    expect(missing.status).toBe(404);
    for (const who of ['sec-op-b', 'sec-admin-b', 'sec-op-a1-other']) {
      const res = await tg.call('POST', '/api/cameras/from-sweep', { token: users[who].token, body });
      expect({ who, status: res.status, text: res.text }).toEqual({ who, status: 404, text: missing.text });
    }
    const own = await tg.call('POST', '/api/cameras/from-sweep', { token: users['sec-op-a1'].token, body });
    expect(own.status).toBe(201);
    expect(own.body.errors).toEqual([{ endpoint: 'urn:uuid:not-a-finding', code: 'NOT_FOUND', message: 'not among the findings of this sweep' }]);
    // A finding that is already a camera of another station is refused without saying so.
    const dup = await tg.call('POST', '/api/cameras/from-sweep', { token: users['sec-op-a1'].token, body: { ...body, endpoints: ['urn:uuid:00000000-0000-4000-8000-0000000000b1'] } });
    expect(dup.body.errors).toEqual([{ endpoint: 'urn:uuid:00000000-0000-4000-8000-0000000000b1', code: 'CONFLICT', message: HIDDEN_CONFLICT }]);
  });

  it('a duplicate of a camera outside the caller\'s scope answers 409 naming nothing of it; inside, it is named', async () => {
    const onvif = { host: `${NET}.20`, port: 80, username: 'admin', password: 'x' };
    const hidden = await tg.call('POST', '/api/cameras', { token: users['sec-op-a1'].token, body: { name: 'copy', onvif, jurisdictionId: ids.get('SEC-A1') } });
    expect(hidden.status).toBe(409);
    expect(hidden.body).toEqual({ code: 'CONFLICT', message: HIDDEN_CONFLICT });
    const byUrl = await tg.call('POST', '/api/cameras', { token: users['sec-op-a1'].token, body: { name: 'copy', rtspUrl: `rtsp://${NET}.21:554/b`, jurisdictionId: ids.get('SEC-A1') } });
    expect(byUrl.body).toEqual({ code: 'CONFLICT', message: HIDDEN_CONFLICT });
    const named = await tg.call('POST', '/api/cameras', { token: users['sec-op-b'].token, body: { name: 'copy', onvif, jurisdictionId: ids.get('SEC-B') } });
    expect(named.status).toBe(409);
    expect(named.body.message).toBe(`a camera with this ONVIF address ${NET}.20:80 already exists`);

    const csv = `name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url\ncopy,30.02,120.02,,${NET}.20,80,u,p,\n`;
    const imported = await tg.call('POST', '/api/cameras/import', { token: users['sec-op-a1'].token, raw: csv });
    expect(imported.status).toBe(400);
    expect(imported.body.errors).toEqual([{ line: 2, message: HIDDEN_CONFLICT }]);
    const csvB = csv.replace('30.02,120.02', '30.05,120.15');
    const importedB = await tg.call('POST', '/api/cameras/import', { token: users['sec-op-b'].token, raw: csvB });
    expect(importedB.body.errors).toEqual([{ line: 2, message: `a camera with ONVIF address ${NET}.20:80 already exists` }]);
  });

  it('a grant to an unknown user or node answers 404 like any missing object, not a 400 that tells ids apart', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const token = users['sec-admin-a'].token;
    const toUser = await tg.call('POST', '/api/grants', { token, body: { cameraId: stationACamera, granteeUserId: randomUUID(), expiresAt } });
    expect(toUser.status).toBe(404);
    expect(toUser.body).toEqual({ code: 'NOT_FOUND', message: 'user not found' });
    const toNode = await tg.call('POST', '/api/grants', { token, body: { cameraId: stationACamera, granteeJurisdictionId: randomUUID(), expiresAt } });
    expect(toNode.status).toBe(404);
    expect(toNode.body).toEqual({ code: 'NOT_FOUND', message: 'jurisdiction not found' });
    // A camera of another station answers exactly like a missing one.
    const foreign = await tg.call('POST', '/api/grants', { token, body: { cameraId: stationBCamera, granteeUserId: users['sec-op-a1'].id, expiresAt } });
    const missing = await tg.call('POST', '/api/grants', { token, body: { cameraId: randomUUID(), granteeUserId: users['sec-op-a1'].id, expiresAt } });
    expect([foreign.status, foreign.text]).toEqual([404, missing.text]);
    const ok = await tg.call('POST', '/api/grants', { token, body: { cameraId: stationACamera, granteeUserId: users['sec-op-b'].id, expiresAt } });
    expect(ok.status).toBe(201);
  });
});
