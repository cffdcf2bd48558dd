import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { startTestProcess, TestProcess } from './support/harness';

describe('foundation: auth, users, health, docs, metrics', () => {
  let tg: TestProcess;
  beforeAll(async () => {
    // docs on in both modes (by default only with the embedded database or the demo: http.docs auto)
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true }, { 'http.docs': 'on' });
  });
  afterAll(() => tg?.stop());

  it('reports database and broker health without a login', async () => {
    const res = await tg.call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', broker: 'up', transcoders: [] }); // a gateway alone knows no transcoder
  });

  it('logs the built-in admin in and refuses a wrong password with 401 and a code', async () => {
    const ok = await tg.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin-test-password' } });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual(expect.objectContaining({ username: 'admin', role: 'admin', jurisdictionId: null }));
    expect(typeof ok.body.accessToken).toBe('string');
    const bad = await tg.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ code: 'UNAUTHENTICATED', message: 'wrong username or password' });
    const unknown = await tg.call('POST', '/api/auth/login', { body: { username: 'ghost', password: 'nope' } });
    expect(unknown.body).toEqual(bad.body);
  });

  it('names the bad field of a login body', async () => {
    const res = await tg.call('POST', '/api/auth/login', { body: { username: 'admin' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toMatch(/password/);
  });

  it('refuses calls without a token and non-admins on admin routes', async () => {
    expect((await tg.call('GET', '/api/users')).status).toBe(401);
    const admin = await tg.login();
    const created = await tg.call('POST', '/api/users', { token: admin, body: { username: 'v1', password: 'viewer-pass-1', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    const dup = await tg.call('POST', '/api/users', { token: admin, body: { username: 'v1', password: 'viewer-pass-1', role: 'viewer' } });
    expect(dup.status).toBe(409);
    const viewer = await tg.login('v1', 'viewer-pass-1');
    const denied = await tg.call('GET', '/api/users', { token: viewer });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
  });

  it('serves OpenAPI and Prometheus metrics', async () => {
    const doc = await tg.call('GET', '/api/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toContain('/api/auth/login');
    const metrics = await tg.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/tiergate_process_cpu_seconds_total/);
  });
});
