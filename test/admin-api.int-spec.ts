/**
 * The API behind the administration screen (issue 15), without a browser: audit paging (X-Total-Count), the
 * target's name on each entry, the CSV export of a whole filter (beyond one JSON page, formula-safe, BOM), the
 * JSON page limit; grants to a user named by username (unknown: 404 like missing; two grantees: 400) with the
 * names of what is shared; a station admin's scope on users, grants and the audit log.
 */
import { readCsvTable } from '@tiergate/domain';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';

jest.setTimeout(90_000);

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const DISTRICT = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'SB', name: 'River Sub-bureau', tier: 'sub-bureau', parentCode: null }, geometry: square(116.28, 39.88, 116.40, 39.96) },
    { type: 'Feature', properties: { code: 'ST1', name: 'North Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.90, 116.36, 39.93) },
    { type: 'Feature', properties: { code: 'P1', name: 'Elm Post', tier: 'post', parentCode: 'ST1' }, geometry: square(116.30, 39.90, 116.33, 39.93) },
    { type: 'Feature', properties: { code: 'ST2', name: 'South Station', tier: 'station', parentCode: 'SB' }, geometry: square(116.30, 39.88, 116.36, 39.90) },
  ],
};
const FORMULA = '+cmd|" /C calc"!A0';

describe('administration API', () => {
  let tg: TestProcess;
  let admin: string;
  let north: string;
  let south: string;
  const jur: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let camera = '';

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'admin-api-test', modules: [PartitionerModule, GatewayModule], http: true }, { 'health.intervalSeconds': 3600, 'http.docs': 'on' });
    admin = await tg.login();
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(DISTRICT), contentType: 'application/geo+json' });
    if (imported.status >= 300) throw new Error(`import: ${imported.status} ${imported.text}`);
    for (const j of (await tg.call('GET', '/api/jurisdictions', { token: admin })).body) jur[j.code] = j.id;
    for (const [username, role, code] of [['north-admin', 'admin', 'ST1'], ['south-admin', 'admin', 'ST2'], ['elm-viewer', 'viewer', 'P1'], ['south-viewer', 'viewer', 'ST2']]) {
      const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password: `${username}-pass`, role, jurisdictionId: jur[code] } });
      if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${res.text}`);
      ids[username] = res.body.id;
    }
    north = await tg.login('north-admin', 'north-admin-pass');
    south = await tg.login('south-admin', 'south-admin-pass');
    const cam = await tg.call('POST', '/api/cameras', { token: north, body: { name: FORMULA, rtspUrl: 'rtsp://127.0.29.1:8554/main', location: { lat: 39.91, lon: 116.31 } } });
    if (cam.status !== 201) throw new Error(`camera: ${cam.status} ${cam.text}`);
    camera = cam.body.id;
    // 120 logins of one user: more than one JSON page of the default 100.
    for (let i = 0; i < 120; i += 1) await tg.login('elm-viewer', 'elm-viewer-pass');
  }, 180_000);

  afterAll(async () => {
    await tg?.stop();
  });

  it('pages the audit log with X-Total-Count and exports the whole filter as CSV (BOM, formula-safe names)', async () => {
    const page = await tg.call('GET', '/api/audit?actor=elm-viewer&action=auth.login', { token: north });
    expect(page.status).toBe(200);
    expect(page.body).toHaveLength(100);
    expect(page.headers.get('x-total-count')).toBe('120');
    const rest = await tg.call('GET', '/api/audit?actor=elm-viewer&action=auth.login&offset=100', { token: north });
    expect(rest.body).toHaveLength(20);
    expect(new Set([...page.body, ...rest.body].map((e: any) => e.id)).size).toBe(120);

    const csv = await fetch(`${tg.url}/api/audit?actor=elm-viewer&action=auth.login&format=csv`, { headers: { authorization: `Bearer ${north}` } });
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="tiergate-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = readCsvTable(bytes.toString('utf8'));
    expect(table.rows).toHaveLength(120);
    expect(table.rows.map((r) => r.fields[0])).toEqual([...page.body, ...rest.body].map((e: any) => e.id));

    // The camera's creation, with the camera's name as target name: a formula in JSON as it is, neutralised in CSV.
    const created = await tg.call('GET', `/api/audit?targetId=${camera}`, { token: north });
    expect(created.body.map((e: any) => [e.action, e.targetName])).toEqual([['camera.create', FORMULA]]);
    const createdCsv = await tg.call('GET', `/api/audit?targetId=${camera}&format=csv`, { token: north });
    const [row] = readCsvTable(createdCsv.text).rows;
    expect(row!.fields[9]).toBe(`'${FORMULA}`);
    // A user target is named too.
    const userCreate = await tg.call('GET', `/api/audit?targetId=${ids['elm-viewer']}&action=user.create`, { token: admin });
    expect(userCreate.body[0].targetName).toBe('elm-viewer');
  });

  it('refuses a JSON page over 1000 and a CSV over 10,000, naming limit', async () => {
    for (const q of ['limit=1001', 'limit=10001&format=csv']) {
      const res = await tg.call('GET', `/api/audit?${q}`, { token: admin });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/limit/);
    }
    expect((await tg.call('GET', '/api/audit?limit=5000&format=csv', { token: admin })).status).toBe(200);
  });

  it("grants to a user named by username, with the names of what is shared; unknown names answer 404, two grantees 400", async () => {
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const made = await tg.call('POST', '/api/grants', { token: north, body: { cameraId: camera, granteeUsername: 'SOUTH-viewer', expiresAt, reason: 'joint case' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ granteeUserId: ids['south-viewer'], granteeUsername: 'south-viewer', cameraName: FORMULA, state: 'active' });
    const viewer = await tg.login('south-viewer', 'south-viewer-pass');
    expect((await tg.call('GET', `/api/cameras/${camera}`, { token: viewer })).status).toBe(200);

    const toNode = await tg.call('POST', '/api/grants', { token: north, body: { jurisdictionId: jur.P1, granteeJurisdictionId: jur.ST2, expiresAt } });
    expect(toNode.body).toMatchObject({ jurisdictionName: 'Elm Post', granteeJurisdictionName: 'South Station', granteeUsername: null, cameraName: null });
    const listed = await tg.call('GET', '/api/grants', { token: north });
    expect(listed.body.map((g: any) => g.id)).toEqual(expect.arrayContaining([made.body.id, toNode.body.id]));
    expect(listed.body.find((g: any) => g.id === made.body.id).cameraName).toBe(FORMULA);

    const unknown = await tg.call('POST', '/api/grants', { token: north, body: { cameraId: camera, granteeUsername: 'nobody-here', expiresAt } });
    expect(unknown.status).toBe(404);
    const missingId = await tg.call('POST', '/api/grants', { token: north, body: { cameraId: camera, granteeUserId: '00000000-0000-4000-8000-000000000000', expiresAt } });
    expect(unknown.body).toEqual(missingId.body);
    const two = await tg.call('POST', '/api/grants', { token: north, body: { cameraId: camera, granteeUsername: 'south-viewer', granteeUserId: ids['south-viewer'], expiresAt } });
    expect(two.status).toBe(400);
    const bad = await tg.call('POST', '/api/grants', { token: north, body: { cameraId: camera, granteeUsername: 'no spaces', expiresAt } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/granteeUsername/);
    // Audited with the resolved id.
    const audit = await tg.call('GET', `/api/audit?targetId=${made.body.id}`, { token: north });
    expect(audit.body[0]).toMatchObject({ action: 'grant.create', details: { granteeUsername: 'SOUTH-viewer', granteeUserId: ids['south-viewer'] } });
    // South's admin does not manage north's grants: not listed, revoking answers 404.
    expect((await tg.call('GET', '/api/grants', { token: south })).body.map((g: any) => g.id)).not.toContain(made.body.id);
    expect((await tg.call('DELETE', `/api/grants/${made.body.id}`, { token: south })).status).toBe(404);
  });

  it('the OpenAPI document describes the filters, the export and the grantee by username', async () => {
    const doc = (await tg.call('GET', '/api/docs/openapi.json')).body;
    const audit = doc.paths['/api/audit'].get;
    expect(audit.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['actor', 'action', 'targetId', 'from', 'to', 'limit', 'offset', 'format']));
    expect(JSON.stringify(audit)).toMatch(/X-Total-Count/);
    expect(JSON.stringify(audit)).toMatch(/targetName/);
    expect(JSON.stringify(doc.paths['/api/grants'].post)).toMatch(/granteeUsername/);
    expect(JSON.stringify(doc.components.schemas.CreateGrantDto)).toMatch(/granteeUsername/);
  });

  it("a station admin neither lists, changes nor reads the log of another station's users", async () => {
    const southUsers = (await tg.call('GET', '/api/users', { token: south })).body.map((u: any) => u.username);
    expect(southUsers.sort()).toEqual(['south-admin', 'south-viewer']);
    for (const [method, body] of [['PATCH', { disabled: true }], ['PATCH', { password: 'a-fresh-password-9' }], ['DELETE', undefined]] as const) {
      const res = await tg.call(method, `/api/users/${ids['elm-viewer']}`, { token: south, body });
      expect(res.status).toBe(404);
      expect(res.body).toEqual((await tg.call(method, '/api/users/00000000-0000-4000-8000-000000000000', { token: south, body })).body);
    }
    const log = await tg.call('GET', '/api/audit?actor=elm-viewer', { token: south });
    expect(log.body).toEqual([]);
    expect(log.headers.get('x-total-count')).toBe('0');
    // The user still logs in: nothing was changed.
    await tg.login('elm-viewer', 'elm-viewer-pass');
  });
});
