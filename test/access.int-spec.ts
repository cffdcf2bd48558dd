import { DataSource } from 'typeorm';
import { cameraScopeCondition, Principal, ScopeService } from '@tiergate/access';
import { JurisdictionLocator } from '@tiergate/jurisdictions';
import { districtCode } from '@tiergate/domain';
import { CameraEntity } from '@tiergate/persistence';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';
import { SeededDistrict, seedGeneratedDistrict } from './support/generated-district.seed';

const R = '210103';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Actor {
  token: string;
  principal: Principal;
  /** Independent oracle: does a camera whose post code is `code` lie in this user's home subtree? */
  owns: (postCode: string) => boolean;
}

describe('access: scope by tier, grants, users, audit', () => {
  let tg: TestProcess;
  let admin: string;
  let ds: DataSource;
  let scopes: ScopeService;
  let seeded: SeededDistrict;
  let allIds: string[];
  const actors: Record<string, Actor> = {};

  async function makeUser(creator: string, username: string, role: string, code: string | null, owns: Actor['owns']): Promise<Actor> {
    const jurisdictionId = code ? seeded.idOfCode.get(code)! : undefined;
    const res = await tg.call('POST', '/api/users', { token: creator, body: { username, password: `${username}-password`, role, jurisdictionId } });
    if (res.status !== 201) throw new Error(`create ${username}: ${res.status} ${res.text}`);
    const login = await tg.call('POST', '/api/auth/login', { body: { username, password: `${username}-password` } });
    const u = login.body.user;
    return { token: login.body.accessToken, principal: { userId: u.id, username: u.username, role: u.role, jurisdictionId: u.jurisdictionId }, owns };
  }
  const expectedVisible = (a: Actor, extra: string[] = []) =>
    new Set([...allIds.filter((id) => a.owns(seeded.cameras.get(id)!.expectedCode)), ...extra]);

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [PartitionerModule, GatewayModule], http: true });
    admin = await tg.login();
    ds = tg.running.app.get(DataSource, { strict: false });
    scopes = tg.running.app.get(ScopeService, { strict: false });
    seeded = await seedGeneratedDistrict(tg, admin, { cameras: 200, seed: 21 });
    allIds = [...seeded.cameras.keys()];
    const st = (c: string) => c.slice(6, 8);
    const post = (c: string) => c.slice(6, 10);
    actors.bureauViewer = await makeUser(admin, 'bureau-viewer', 'viewer', districtCode(R), () => true);
    actors.st1Admin = await makeUser(admin, 'st1-admin', 'admin', districtCode(R, 1), (c) => st(c) === '01');
    actors.st2Operator = await makeUser(admin, 'st2-operator', 'operator', districtCode(R, 2), (c) => st(c) === '02');
    actors.post11Viewer = await makeUser(admin, 'p11-viewer', 'viewer', districtCode(R, 1, 1), (c) => post(c) === '0101');
    actors.post32Analyst = await makeUser(admin, 'p32-analyst', 'analyst', districtCode(R, 3, 2), (c) => post(c) === '0302');
  });
  afterAll(() => tg?.stop());

  it('gives every tier exactly the cameras of its subtree (borders included), by set and by SQL condition', async () => {
    expect([...seeded.cameras.values()].filter((p) => p.onBorder).length).toBeGreaterThan(5);
    for (const [name, a] of Object.entries(actors)) {
      const expected = expectedVisible(a);
      expect(expected.size).toBeGreaterThan(0);
      const visible = await scopes.visibleCameraIds(a.principal, allIds);
      expect({ name, ids: [...visible].sort() }).toEqual({ name, ids: [...expected].sort() });
      const scope = await scopes.scopeOf(a.principal);
      const cond = cameraScopeCondition(scope, 'c');
      const viaSql = await ds.getRepository(CameraEntity).createQueryBuilder('c').select('c.id').andWhere(cond.sql, cond.params).getMany();
      expect({ name, ids: viaSql.map((c) => c.id).sort() }).toEqual({ name, ids: [...expected].sort() });
    }
    const builtIn: Principal = { userId: 'x', username: 'admin', role: 'admin', jurisdictionId: null };
    expect((await scopes.visibleCameraIds(builtIn, allIds)).size).toBe(allIds.length);
  });

  it('answers an out-of-scope camera or node exactly like a missing one', async () => {
    const p11 = actors.post11Viewer;
    const foreign = allIds.find((id) => !p11.owns(seeded.cameras.get(id)!.expectedCode))!;
    const e1 = await scopes.assertCameraVisible(p11.principal, foreign).catch((e) => e);
    const e2 = await scopes.assertCameraVisible(p11.principal, '00000000-0000-4000-8000-000000000000').catch((e) => e);
    expect(e1.code).toBe('NOT_FOUND');
    expect(e1.message).toBe(e2.message);
    const st2 = seeded.idOfCode.get(districtCode(R, 2))!;
    const hidden = await tg.call('GET', `/api/jurisdictions/${st2}`, { token: p11.token });
    const missing = await tg.call('GET', '/api/jurisdictions/00000000-0000-4000-8000-000000000000', { token: p11.token });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('lists only the caller subtree and counts only it; no answer names a node outside', async () => {
    for (const a of Object.values(actors)) {
      const list = await tg.call('GET', '/api/jurisdictions', { token: a.token });
      const codes: string[] = list.body.map((j: any) => j.code);
      // Every code of the subtree and nothing else (the code oracle also fits station and root codes).
      const expected = [...seeded.idOfCode.keys()].filter((code) => a.owns(code));
      expect([...codes].sort()).toEqual(expected.sort());
      const stats = await tg.call('GET', '/api/jurisdictions/stats', { token: a.token });
      const statCodes = stats.body.nodes.map((n: any) => n.code).sort();
      expect(statCodes).toEqual([...codes].sort());
      const home = stats.body.nodes.find((n: any) => n.id === a.principal.jurisdictionId);
      expect(home.camerasInSubtree).toBe(expectedVisible(a).size);
    }
  });

  it('applies a camera grant at once, ends it at expiry, and refuses grants of what the admin does not administer', async () => {
    const st1 = actors.st1Admin;
    const op2 = actors.st2Operator;
    const cam = allIds.find((id) => st1.owns(seeded.cameras.get(id)!.expectedCode))!;
    expect((await scopes.visibleCameraIds(op2.principal, [cam])).size).toBe(0);
    const res = await tg.call('POST', '/api/grants', {
      token: st1.token,
      body: { cameraId: cam, granteeUserId: op2.principal.userId, expiresAt: new Date(Date.now() + 2500).toISOString(), reason: 'pursuit' },
    });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('active');
    expect([...(await scopes.visibleCameraIds(op2.principal, allIds))].sort()).toEqual([...expectedVisible(op2, [cam])].sort());
    await sleep(2800);
    expect((await scopes.visibleCameraIds(op2.principal, [cam])).size).toBe(0);
    const listed = await tg.call('GET', '/api/grants', { token: st1.token });
    expect(listed.body.find((g: any) => g.id === res.body.id).state).toBe('expired');

    const foreign = allIds.find((id) => op2.owns(seeded.cameras.get(id)!.expectedCode))!;
    const refused = await tg.call('POST', '/api/grants', { token: st1.token, body: { cameraId: foreign, granteeUserId: op2.principal.userId, expiresAt: new Date(Date.now() + 60_000).toISOString() } });
    expect(refused.status).toBe(404);
    const both = await tg.call('POST', '/api/grants', { token: st1.token, body: { cameraId: cam, jurisdictionId: st1.principal.jurisdictionId, granteeUserId: op2.principal.userId, expiresAt: new Date(Date.now() + 60_000).toISOString() } });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/cameraId/);
    const past = await tg.call('POST', '/api/grants', { token: st1.token, body: { cameraId: cam, granteeUserId: op2.principal.userId, expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/expiresAt/);
    const op = await tg.call('POST', '/api/grants', { token: op2.token, body: { cameraId: cam, granteeUserId: op2.principal.userId, expiresAt: new Date(Date.now() + 60_000).toISOString() } });
    expect(op.status).toBe(403);
  });

  it('shares a node with a node\'s users (and those below it) until revoked, effective at once', async () => {
    const p32Code = districtCode(R, 3, 2);
    const res = await tg.call('POST', '/api/grants', {
      token: admin,
      body: { jurisdictionId: seeded.idOfCode.get(p32Code), granteeJurisdictionId: seeded.idOfCode.get(districtCode(R, 1)), expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(res.status).toBe(201);
    const p11 = actors.post11Viewer; // below station 1: reached by the grant
    const shared = allIds.filter((id) => seeded.cameras.get(id)!.expectedCode === p32Code);
    expect([...(await scopes.visibleCameraIds(p11.principal, allIds))].sort()).toEqual([...expectedVisible(p11, shared)].sort());
    expect((await tg.call('GET', `/api/jurisdictions/${seeded.idOfCode.get(p32Code)}`, { token: p11.token })).status).toBe(200);
    expect((await scopes.visibleCameraIds(actors.st2Operator.principal, shared)).size).toBe(0);
    // station 1's admin did not make it and does not administer post 3-2: it does not see it, cannot revoke it.
    expect((await tg.call('GET', '/api/grants', { token: actors.st1Admin.token })).body.some((g: any) => g.id === res.body.id)).toBe(false);
    expect((await tg.call('DELETE', `/api/grants/${res.body.id}`, { token: actors.st1Admin.token })).status).toBe(404);
    expect((await tg.call('DELETE', `/api/grants/${res.body.id}`, { token: admin })).status).toBe(204);
    expect((await scopes.visibleCameraIds(p11.principal, shared)).size).toBe(0);
    expect((await tg.call('GET', `/api/jurisdictions/${seeded.idOfCode.get(p32Code)}`, { token: p11.token })).status).toBe(404);
  });

  it('lets a station admin create and list users only inside its subtree', async () => {
    const st1 = actors.st1Admin;
    const outside = await tg.call('POST', '/api/users', { token: st1.token, body: { username: 'x-out', password: 'x-out-password', role: 'viewer', jurisdictionId: seeded.idOfCode.get(districtCode(R, 2)) } });
    const missing = await tg.call('POST', '/api/users', { token: st1.token, body: { username: 'x-out', password: 'x-out-password', role: 'viewer', jurisdictionId: '00000000-0000-4000-8000-000000000000' } });
    expect(outside.status).toBe(400);
    expect(outside.body).toEqual(missing.body);
    const none = await tg.call('POST', '/api/users', { token: st1.token, body: { username: 'x-none', password: 'x-none-password', role: 'viewer' } });
    expect(none.status).toBe(400);
    const inside = await tg.call('POST', '/api/users', { token: st1.token, body: { username: 'p13-op', password: 'p13-op-password', role: 'operator', jurisdictionId: seeded.idOfCode.get(districtCode(R, 1, 3)) } });
    expect(inside.status).toBe(201);
    const names = (await tg.call('GET', '/api/users', { token: st1.token })).body.map((u: any) => u.username).sort();
    expect(names).toEqual(['p11-viewer', 'p13-op', 'st1-admin']);
    expect((await tg.call('GET', '/api/users', { token: admin })).body.length).toBeGreaterThan(names.length);
  });

  it('lets a station admin change the tree only below its home node', async () => {
    const token = actors.st1Admin.token;
    // A small square inside the parent post (an imported boundary must lie within its parent's).
    const sq = (parentCode: string | null) => {
      const [w, s] = parentCode ? seeded.district.features.find((f) => f.properties.code === parentCode)!.bbox : [123.0, 41.0];
      return { type: 'Polygon', coordinates: [[[w, s], [w + 0.001, s], [w + 0.001, s + 0.001], [w, s + 0.001], [w, s]]] };
    };
    const fc = (code: string, parentCode: string | null) =>
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code, name: code, tier: 'grid', parentCode }, geometry: sq(parentCode) }] });
    const imp = (body: string) => tg.call('POST', '/api/jurisdictions/import', { token, raw: body, contentType: 'application/geo+json' });
    const below = await imp(fc('GRID-ST1', districtCode(R, 1, 1)));
    expect(below.status).toBe(200);
    expect(below.body.created).toBe(1);
    const elsewhere = await imp(fc('GRID-ST2', districtCode(R, 2, 1)));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toMatch(/not below your jurisdiction/);
    const top = await imp(fc('GRID-TOP', null));
    expect(top.status).toBe(403);
    const home = seeded.district.features.find((f) => f.properties.code === districtCode(R, 1))!;
    expect((await imp(JSON.stringify({ type: 'FeatureCollection', features: [home] }))).status).toBe(403);
    const st2 = seeded.idOfCode.get(districtCode(R, 2, 1))!;
    expect((await tg.call('DELETE', `/api/jurisdictions/${st2}`, { token })).status).toBe(404);
    expect((await tg.call('DELETE', `/api/jurisdictions/${actors.st1Admin.principal.jurisdictionId}`, { token })).status).toBe(403);
    const grid = (await tg.call('GET', '/api/jurisdictions', { token })).body.find((j: any) => j.code === 'GRID-ST1');
    expect((await tg.call('DELETE', `/api/jurisdictions/${grid.id}`, { token })).status).toBe(204);
  });

  it('shows a station admin the audit entries of its own staff only', async () => {
    const mine = await tg.call('GET', '/api/audit?limit=200', { token: actors.st1Admin.token });
    expect(mine.status).toBe(200);
    const actorsSeen = new Set(mine.body.map((e: any) => e.actorName));
    expect(actorsSeen.has('st1-admin')).toBe(true);
    expect(actorsSeen.has('admin')).toBe(false);
    expect(actorsSeen.has('st2-operator')).toBe(false);
    const all = await tg.call('GET', '/api/audit?action=grant.*', { token: admin });
    expect(all.body.map((e: any) => e.action)).toEqual(expect.arrayContaining(['grant.create', 'grant.revoke']));
    const byActor = await tg.call('GET', `/api/audit?actor=${actors.st1Admin.principal.userId}`, { token: admin });
    expect(byActor.body.length).toBeGreaterThan(0);
    expect(byActor.body.every((e: any) => e.actorName === 'st1-admin')).toBe(true);
    expect((await tg.call('GET', '/api/audit', { token: actors.st2Operator.token })).status).toBe(403);
  });

  it('refreshes the locator after a tree change; a user moved off a node keeps working from its new home (rights come from the row, not the token)', async () => {
    const locator = tg.running.app.get(JurisdictionLocator, { strict: false });
    const leafBox = { type: 'Polygon', coordinates: [[[10, 10], [10.001, 10], [10.001, 10.001], [10, 10.001], [10, 10]]] };
    expect(await locator.locate(10.0005, 10.0005)).toBeUndefined();
    const imp = await tg.call('POST', '/api/jurisdictions/import', {
      token: admin,
      raw: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'GONE-1', name: 'Gone', tier: 'grid', parentCode: null }, geometry: leafBox }] }),
      contentType: 'application/json',
    });
    expect(imp.status).toBe(200);
    const leafId = await locator.locate(10.0005, 10.0005);
    expect(leafId).toBeDefined();
    await tg.call('POST', '/api/users', { token: admin, body: { username: 'leaf-viewer', password: 'leaf-viewer-pw', role: 'viewer', jurisdictionId: leafId } });
    const token = await tg.login('leaf-viewer', 'leaf-viewer-pw');
    await ds.query(`UPDATE users SET "jurisdictionId" = $1 WHERE username = 'leaf-viewer'`, [seeded.idOfCode.get(districtCode(R))]);
    expect((await tg.call('DELETE', `/api/jurisdictions/${leafId}`, { token: admin })).status).toBe(204);
    const res = await tg.call('GET', '/api/jurisdictions', { token });
    expect(res.status).toBe(200);
    expect(res.body.map((j: { code: string }) => j.code)).toContain(districtCode(R));
    expect(res.body.map((j: { code: string }) => j.code)).not.toContain('GONE-1');
    expect(await locator.locate(10.0005, 10.0005)).toBeUndefined();
  });

  it('keeps out-of-scope cameras out of the camera routes', async () => {
    for (const a of Object.values(actors)) {
      const res = await tg.call('GET', '/api/cameras', { token: a.token });
      expect(res.body.map((c: any) => c.id).sort()).toEqual([...expectedVisible(a)].sort());
      const foreign = allIds.find((id) => !a.owns(seeded.cameras.get(id)!.expectedCode));
      if (foreign) expect((await tg.call('GET', `/api/cameras/${foreign}`, { token: a.token })).status).toBe(404);
    }
    // Filtering by a node outside the scope names nothing.
    const p11 = actors.post11Viewer;
    const other = await tg.call('GET', `/api/cameras?jurisdictionId=${seeded.idOfCode.get(districtCode(R, 2, 1))}`, { token: p11.token });
    expect(other.status === 404 || (other.status === 200 && other.body.length === 0)).toBe(true);
    // A granted camera shows up on the routes too, and leaves with the grant.
    const cam = allIds.find((id) => !p11.owns(seeded.cameras.get(id)!.expectedCode))!;
    const g = await tg.call('POST', '/api/grants', { token: admin, body: { cameraId: cam, granteeUserId: p11.principal.userId, expiresAt: new Date(Date.now() + 60_000).toISOString() } });
    expect((await tg.call('GET', `/api/cameras/${cam}`, { token: p11.token })).status).toBe(200);
    expect((await tg.call('GET', '/api/cameras', { token: p11.token })).body.map((c: any) => c.id)).toContain(cam);
    await tg.call('DELETE', `/api/grants/${g.body.id}`, { token: admin });
    expect((await tg.call('GET', `/api/cameras/${cam}`, { token: p11.token })).status).toBe(404);
  });
});
