import { AccessSnapshots, Principal, ScopeService, StreamTokens } from '@tiergate/access';
import { loadConfig } from '@tiergate/config';
import { districtCode, generateDistrict } from '@tiergate/domain';
import { RunningProcess, startProcess } from '@tiergate/platform';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { districtNodes, seedJurisdictions, userToken } from '../support/district.fixture';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from '../support/harness';

const external = process.env.TIERGATE_TEST_MODE === 'external';
const district = generateDistrict({ stations: 2, postsPerStation: 1, sizeKm: 2, seed: 5 });
const R = '210103';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long until `cond` holds (polled every 20 ms), or Infinity after `ms`. */
async function timeUntil(cond: () => Promise<boolean> | boolean, ms: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await cond()) return Date.now() - t0;
    await sleep(20);
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Access checks come from the access snapshot in memory (no grants query per request), and a grant
 * revoked or expired stops working within 1 s everywhere: on the API (lists, the camera) and on the
 * video path (a stream token issued through the grant), in the process that revoked it and, in external
 * mode, in a second gateway process that only hears of it over the bus.
 */
describe('partitioning: a revoked or expired grant stops working within 1 s everywhere', () => {
  let tg: TestProcess;
  let other: RunningProcess | undefined;
  let ids: Map<string, string>;
  let admin: string;
  let viewer: string;
  let viewerPrincipal: Principal;
  let cam: string;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'tiergate', modules: [PartitionerModule, GatewayModule], http: true });
    ids = await seedJurisdictions(tg, districtNodes(district));
    admin = await tg.login();
    viewer = await userToken(tg, admin, 'grantee', 'viewer', ids.get(districtCode(R, 1))!);
    const users = await tg.call('GET', '/api/users', { token: admin });
    viewerPrincipal = { userId: users.body.find((u: { username: string }) => u.username === 'grantee').id, username: 'grantee', role: 'viewer', jurisdictionId: ids.get(districtCode(R, 1))! };
    const created = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'granted', rtspUrl: 'rtsp://127.0.0.1:1/g', jurisdictionId: ids.get(districtCode(R, 2, 1)) } });
    expect(created.status).toBe(201);
    cam = created.body.id;
    if (external) {
      // A second gateway on the same database and broker: it learns of grants only through the bus.
      const config = loadConfig({
        env: {},
        overrides: {
          'http.port': 0,
          dataDir: 'memory://',
          'database.url': tg.running.infra.config.database.url,
          'mqtt.url': process.env.MQTT_URL,
          'auth.adminPassword': ADMIN_PASSWORD,
          'auth.secretKey': 'integration-test-secret-key',
          'log.level': 'warn',
        },
      });
      other = await startProcess(config, { name: 'gateway-b', modules: [GatewayModule], http: true });
    }
  });
  afterAll(async () => {
    await other?.stop();
    await tg?.stop();
  });

  const processes = () => [tg.running, ...(other ? [other] : [])];
  const sees = async (p: RunningProcess) => (await p.app.get(ScopeService, { strict: false }).cameraAccess(viewerPrincipal, { id: cam, jurisdictionId: ids.get(districtCode(R, 2, 1))! })) !== undefined;
  const listsIt = async (url: string) => {
    const res = await fetch(`${url}/api/cameras`, { headers: { authorization: `Bearer ${viewer}` } });
    return ((await res.json()) as Array<{ id: string }>).some((c) => c.id === cam);
  };
  /** A stream token issued through the grant, as POST /api/cameras/:id/live issues it. */
  async function tokenThroughGrant(): Promise<string> {
    const access = await tg.running.app.get(ScopeService, { strict: false }).cameraAccess(viewerPrincipal, { id: cam, jurisdictionId: ids.get(districtCode(R, 2, 1))! });
    expect(access).toMatchObject({ via: 'grant' });
    return tg.running.app.get(StreamTokens, { strict: false }).issue(viewerPrincipal.userId, cam, 'sub', Date.now(), (access as { grantId: string }).grantId).token;
  }
  const tokenWorks = (p: RunningProcess, token: string) => p.app.get(StreamTokens, { strict: false }).allows(token, cam, 'sub');

  it('on revocation', async () => {
    const grant = await tg.call('POST', '/api/grants', { token: admin, body: { cameraId: cam, granteeUserId: viewerPrincipal.userId, expiresAt: new Date(Date.now() + 3_600_000).toISOString() } });
    expect(grant.status).toBe(201);
    for (const p of processes()) expect(await timeUntil(() => sees(p), 1000)).toBeLessThan(1000);
    const token = await tokenThroughGrant();
    for (const p of processes()) {
      expect(tokenWorks(p, token)).toBe(true);
      expect(await listsIt(p.url!)).toBe(true);
    }
    expect((await tg.call('DELETE', `/api/grants/${grant.body.id}`, { token: admin })).status).toBe(204);
    for (const p of processes()) {
      expect(await timeUntil(async () => !tokenWorks(p, token) && !(await sees(p)) && !(await listsIt(p.url!)), 1000)).toBeLessThan(1000);
    }
  });

  it('on expiry, without any message', async () => {
    const expiresAt = Date.now() + 2500;
    const grant = await tg.call('POST', '/api/grants', { token: admin, body: { cameraId: cam, granteeUserId: viewerPrincipal.userId, expiresAt: new Date(expiresAt).toISOString() } });
    expect(grant.status).toBe(201);
    for (const p of processes()) expect(await timeUntil(() => sees(p), 1000)).toBeLessThan(1000);
    const token = await tokenThroughGrant();
    for (const p of processes()) expect(tokenWorks(p, token)).toBe(true);
    await sleep(Math.max(0, expiresAt - Date.now()));
    for (const p of processes()) {
      expect(await timeUntil(async () => !tokenWorks(p, token) && !(await sees(p)) && !(await listsIt(p.url!)), 1000)).toBeLessThan(1000);
    }
  });

  it('answers scopes without a grants query per request', async () => {
    const snapshots = tg.running.app.get(AccessSnapshots, { strict: false });
    const ds = tg.running.infra.database.dataSource;
    const queries: string[] = [];
    const original = ds.query.bind(ds);
    (ds as { query: typeof ds.query }).query = ((sql: string, params?: unknown[]) => (queries.push(sql), original(sql, params))) as typeof ds.query;
    try {
      const scopes = tg.running.app.get(ScopeService, { strict: false });
      for (let i = 0; i < 50; i++) await scopes.scopeOf(viewerPrincipal);
    } finally {
      (ds as { query: typeof ds.query }).query = original;
    }
    expect(queries.filter((q) => /access_grants/.test(q))).toEqual([]);
    expect(snapshots).toBeDefined();
  });
});
