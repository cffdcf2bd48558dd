// POST /api/auth/refresh: a valid, unexpired login token is exchanged for a new one of full length; a
// revoked (logout, disable) or expired token gets nothing.
import type { TokenSigner } from '@tiergate/access';
import { SESSION_SIGNER } from '@tiergate/platform';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../apps/partitioner/src/partitioner.module';
import { startTestProcess, TestProcess } from './support/harness';

const TTL_S = 60;

describe('POST /api/auth/refresh', () => {
  let tg: TestProcess;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'auth-refresh-test', modules: [PartitionerModule, GatewayModule], http: true }, { 'auth.sessionTtlSeconds': TTL_S });
    admin = await tg.login();
  }, 60_000);
  afterAll(async () => { await tg?.stop(); });

  async function user() {
    const username = `refresh-user-${++n}`;
    const password = `pw-${n}-correct-horse`;
    const res = await tg.call('POST', '/api/users', { token: admin, body: { username, password, role: 'viewer', jurisdictionId: null } });
    if (res.status !== 201) throw new Error(`${username}: ${res.status} ${res.text}`);
    const login = await tg.call('POST', '/api/auth/login', { body: { username, password } });
    return { id: res.body.id as string, username, token: login.body.accessToken as string, expiresAt: login.body.expiresAt as string };
  }
  const me = async (token: string) => (await tg.call('GET', '/api/jurisdictions', { token })).status;

  it('gives a valid token a new one for the same user, expiring a full session length from now', async () => {
    const u = await user();
    await new Promise((r) => setTimeout(r, 1100)); // a later second: a later expiry
    const res = await tg.call('POST', '/api/auth/refresh', { token: u.token });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual(expect.objectContaining({ id: u.id, username: u.username, role: 'viewer' }));
    expect(res.body.accessToken).not.toBe(u.token);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.parse(u.expiresAt));
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan((TTL_S - 5) * 1000);
    expect(await me(res.body.accessToken)).toBe(200);
    expect(await me(u.token)).toBe(200); // the old one runs to its own expiry
  });

  it('refuses without a token, with a revoked token (logout, disabled user) and with an expired one', async () => {
    expect((await tg.call('POST', '/api/auth/refresh')).status).toBe(401);

    const out = await user();
    const renewed = (await tg.call('POST', '/api/auth/refresh', { token: out.token })).body.accessToken as string;
    expect((await tg.call('POST', '/api/auth/logout', { token: out.token })).status).toBe(204);
    expect((await tg.call('POST', '/api/auth/refresh', { token: out.token })).status).toBe(401);
    expect((await tg.call('POST', '/api/auth/refresh', { token: renewed })).status).toBe(401); // same token version: revoked too

    const off = await user();
    expect((await tg.call('PATCH', `/api/users/${off.id}`, { token: admin, body: { disabled: true } })).status).toBe(200);
    expect((await tg.call('POST', '/api/auth/refresh', { token: off.token })).status).toBe(401);

    const old = await user();
    const signer = tg.running.app.get<TokenSigner>(SESSION_SIGNER);
    const now = Math.floor(Date.now() / 1000);
    const ver = (signer.verify<{ ver: number; exp: number }>(old.token))!.ver;
    const expired = signer.sign({ sub: old.id, ver, iat: now - 120, exp: now - 60 });
    expect((await tg.call('POST', '/api/auth/refresh', { token: expired })).status).toBe(401);
  });
});
