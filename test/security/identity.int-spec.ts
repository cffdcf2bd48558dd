import { Logger } from '@nestjs/common';
// Issue 11 items 6, 15, 16: login tokens could not be revoked (a disabled, demoted, re-passworded admin
// kept full rights for 12 h and created a new admin), accounts could not be managed, usernames were
// case-sensitive, and token parsing took several spellings of one signature and ignored `nbf`.
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { districtCode } from '@tiergate/domain';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { AuditRepository, Transactor, UsersRepository } from '@tiergate/persistence';
import { SESSION_SIGNER } from '@tiergate/platform';
import type { TokenSigner } from '@tiergate/access';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { embeddedDatabaseProblem, resetBuiltInAdminPassword } from '../../apps/gateway/src/identity/admin-password.reset';
import { ADMIN_PASSWORD, startTestProcess, TestProcess } from '../support/harness';
import { SeededDistrict, seedGeneratedDistrict } from '../support/generated-district.seed';

const R = '210103';
const SECRET = 'integration-test-secret-key';

describe('security: accounts and login tokens', () => {
  let tg: TestProcess;
  let admin: string;
  let ds: DataSource;
  const adminStore = () => ({ transactor: tg.running.app.get(Transactor, { strict: false }), users: tg.running.app.get(UsersRepository, { strict: false }), audit: tg.running.app.get(AuditRepository, { strict: false }) });
  let seeded: SeededDistrict;
  let n = 0;

  const code = (...path: number[]) => seeded.idOfCode.get(districtCode(R, ...path))!;
  /** Creates a user with a password that passes the policy and logs it in. */
  async function user(role: string, home: string, by = admin) {
    const username = `idn-${role}-${++n}`;
    const password = `pw-${n}-correct-horse`;
    const res = await tg.call('POST', '/api/users', { token: by, body: { username, password, role, jurisdictionId: home } });
    if (res.status !== 201) throw new Error(`${username}: ${res.status} ${res.text}`);
    return { id: res.body.id as string, username, password, token: await tg.login(username, password) };
  }
  const me = (token: string) => tg.call('GET', '/api/jurisdictions', { token });

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [PartitionerModule, GatewayModule], http: true });
    admin = await tg.login();
    ds = tg.running.app.get(DataSource, { strict: false });
    seeded = await seedGeneratedDistrict(tg, admin, { cameras: 20, seed: 61 });
  });
  afterAll(() => tg?.stop());

  describe('revocation (item 6)', () => {
    it('ends a disabled, demoted or re-passworded admin at once; it cannot create another admin', async () => {
      for (const change of [{ disabled: true }, { role: 'viewer' }, { password: 'a-brand-new-password' }]) {
        const st = await user('admin', code(1));
        expect((await me(st.token)).status).toBe(200);
        const res = await tg.call('PATCH', `/api/users/${st.id}`, { token: admin, body: change });
        expect(res.status).toBe(200);
        const after = await tg.call('POST', '/api/users', { token: st.token, body: { username: `evil-${n}`, password: 'evil-admin-password', role: 'admin', jurisdictionId: code(1) } });
        expect({ change, status: after.status }).toEqual({ change, status: 401 });
        expect(after.body.code).toBe('UNAUTHENTICATED');
      }
      expect(await ds.query(`SELECT count(*)::int AS n FROM users WHERE username LIKE 'evil-%'`)).toEqual([{ n: 0 }]);
    });

    it('takes role and home from the user row, not the token', async () => {
      const u = await user('operator', code(1));
      // Changed behind the API (as another process would): the token still says operator/st1.
      await ds.query(`UPDATE users SET role = 'viewer', "jurisdictionId" = $2 WHERE id = $1`, [u.id, code(2)]);
      await publishUserChanged(u.id);
      await eventually(async () => (await tg.call('POST', '/api/discovery/sweeps', { token: u.token, body: { cidr: '127.0.77.0/30' } })).status === 403);
      const codes = (await me(u.token)).body.map((j: { code: string }) => j.code);
      expect(codes).toContain(districtCode(R, 2));
      expect(codes).not.toContain(districtCode(R, 1));
    });

    it('revokes within a second when another process changes the user and says so on the bus', async () => {
      const u = await user('viewer', code(3));
      expect((await me(u.token)).status).toBe(200); // now cached here
      await ds.query(`UPDATE users SET "tokenVersion" = "tokenVersion" + 1 WHERE id = $1`, [u.id]);
      expect((await me(u.token)).status).toBe(200); // the cache holds the row until told
      const t0 = Date.now();
      await publishUserChanged(u.id);
      await eventually(async () => (await me(u.token)).status === 401);
      expect(Date.now() - t0).toBeLessThan(1000);
    });

    it('logs out everywhere: every token of the user ends, others keep working', async () => {
      const u = await user('viewer', code(1));
      const second = await tg.login(u.username, u.password);
      const other = await user('viewer', code(1));
      expect((await tg.call('POST', '/api/auth/logout', { token: u.token })).status).toBe(204);
      expect((await me(u.token)).status).toBe(401);
      expect((await me(second)).status).toBe(401);
      expect((await me(other.token)).status).toBe(200);
      expect((await me(await tg.login(u.username, u.password))).status).toBe(200);
    });

    it('changes the own password only with the current one and by the policy, ending the other sessions', async () => {
      const u = await user('analyst', code(2));
      const other = await tg.login(u.username, u.password);
      const wrong = await tg.call('POST', '/api/auth/password', { token: u.token, body: { currentPassword: 'not-it-at-all', newPassword: 'another-good-password' } });
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toMatch(/currentPassword/);
      const weak = await tg.call('POST', '/api/auth/password', { token: u.token, body: { currentPassword: u.password, newPassword: 'password123' } });
      expect(weak.status).toBe(400);
      expect(weak.body.message).toBe('newPassword: password is one of the most common passwords: choose another');
      const ok = await tg.call('POST', '/api/auth/password', { token: u.token, body: { currentPassword: u.password, newPassword: 'another-good-password' } });
      expect(ok.status).toBe(200);
      expect((await me(ok.body.accessToken)).status).toBe(200);
      expect((await me(u.token)).status).toBe(401);
      expect((await me(other)).status).toBe(401);
      expect((await tg.call('POST', '/api/auth/login', { body: { username: u.username, password: u.password } })).status).toBe(401);
      await tg.login(u.username, 'another-good-password');
    });

    it('resets the built-in admin on the server (what npm run admin:reset-password does) and ends its sessions', async () => {
      const before = await tg.login();
      const id = await resetBuiltInAdminPassword(adminStore(), 'rotated-admin-password');
      await publishUserChanged(id);
      await eventually(async () => (await me(before)).status === 401);
      await expect(resetBuiltInAdminPassword(adminStore(), 'admin12345')).rejects.toThrow(/username/);
      const fresh = await tg.login('admin', 'rotated-admin-password');
      await resetBuiltInAdminPassword(adminStore(), ADMIN_PASSWORD);
      await publishUserChanged(id);
      await eventually(async () => (await me(fresh)).status === 401);
      admin = await tg.login();
      expect(embeddedDatabaseProblem('/nonexistent-tiergate-dir')).toMatch(/no Tiergate database/);
    });
  });

  describe('account management within the subtree (item 6)', () => {
    it('lets a station admin manage its own users only; everyone else is 404 like a missing id', async () => {
      const st1 = await user('admin', code(1));
      const mine = await user('viewer', code(1, 1));
      const theirs = await user('viewer', code(2, 1));
      const [builtIn] = await ds.query(`SELECT id FROM users WHERE "builtIn"`);
      const missing = '00000000-0000-4000-8000-000000000000';
      const none = await tg.call('PATCH', `/api/users/${missing}`, { token: st1.token, body: { disabled: true } });
      expect(none.status).toBe(404);
      for (const id of [theirs.id, builtIn.id]) {
        for (const [method, body] of [['PATCH', { disabled: true }], ['PATCH', { password: 'taken-over-password' }], ['DELETE', undefined]] as const) {
          const res = await tg.call(method, `/api/users/${id}`, { token: st1.token, body });
          expect(res.status).toBe(404);
          expect(res.text).toBe(none.text);
        }
      }
      expect((await me(theirs.token)).status).toBe(200);
      const listed = (await tg.call('GET', '/api/users', { token: st1.token })).body.map((u: { username: string }) => u.username);
      expect(listed).toContain(mine.username);
      expect(listed).not.toContain(theirs.username);

      const off = await tg.call('PATCH', `/api/users/${mine.id}`, { token: st1.token, body: { disabled: true } });
      expect(off.body).toEqual(expect.objectContaining({ id: mine.id, disabled: true }));
      expect((await tg.call('POST', '/api/auth/login', { body: { username: mine.username, password: mine.password } })).status).toBe(401);
      expect((await tg.call('PATCH', `/api/users/${mine.id}`, { token: st1.token, body: { disabled: false } })).status).toBe(200);
      const reset = await tg.call('PATCH', `/api/users/${mine.id}`, { token: st1.token, body: { password: 'short' } });
      expect(reset.status).toBe(400);
      expect(reset.body.message).toMatch(/^password: password must be at least 10 characters/);
      expect((await tg.call('PATCH', `/api/users/${mine.id}`, { token: st1.token, body: { jurisdictionId: code(2) } })).status).toBe(400);
      expect((await tg.call('PATCH', `/api/users/${mine.id}`, { token: st1.token, body: { password: 'reset-by-station' } })).status).toBe(200);
      await tg.login(mine.username, 'reset-by-station');
      expect((await tg.call('PATCH', `/api/users/${st1.id}`, { token: st1.token, body: { disabled: true } })).status).toBe(400);
      expect((await tg.call('DELETE', `/api/users/${mine.id}`, { token: st1.token })).status).toBe(204);
      expect((await me(mine.token)).status).toBe(401);
      expect((await tg.call('PATCH', `/api/users/${builtIn.id}`, { token: admin, body: { disabled: true } })).status).toBe(400);
      expect((await tg.call('DELETE', `/api/users/${builtIn.id}`, { token: admin })).status).toBe(400);
    });

    it('refuses weak passwords on create, naming the rule', async () => {
      const make = (username: string, password: string) => tg.call('POST', '/api/users', { token: admin, body: { username, password, role: 'viewer', jurisdictionId: code(1) } });
      expect((await make('weak-1', 'aaaaaaaa')).body.message).toBe('password: password must be at least 10 characters long (it has 8)');
      expect((await make('weak-2', 'weak-2')).status).toBe(400);
      expect((await make('station7', 'Station7!!!!')).body.message).toMatch(/not be the username/);
      expect((await make('weak-3', 'qwertyuiop')).body.message).toMatch(/most common/);
    });
  });

  describe('usernames (item 15)', () => {
    it('compares usernames case-insensitively and keeps them unique that way', async () => {
      expect((await me(await tg.login('ADMIN', ADMIN_PASSWORD))).status).toBe(200);
      const dup = await tg.call('POST', '/api/users', { token: admin, body: { username: 'Admin', password: 'second-admin-password', role: 'admin', jurisdictionId: code(1) } });
      expect(dup.status).toBe(409);
      const u = await user('viewer', code(1));
      expect(await tg.login(u.username.toUpperCase(), u.password)).toBeTruthy();
    });
  });

  describe('token parsing (item 16)', () => {
    const signer = () => tg.running.app.get<TokenSigner>(SESSION_SIGNER);
    const claimsOf = async () => {
      const [row] = await ds.query(`SELECT id, "tokenVersion" FROM users WHERE "builtIn"`);
      const now = Math.floor(Date.now() / 1000);
      return { sub: row.id, ver: Number(row.tokenVersion), iat: now, exp: now + 600 };
    };

    it('takes one spelling of a signature only', async () => {
      const token = signer().sign(await claimsOf());
      const [h, p, s] = token.split('.');
      const sig = Buffer.from(s, 'base64url');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const spellings = [...alphabet].map((c) => `${s.slice(0, -1)}${c}`).filter((v) => v !== s && Buffer.from(v, 'base64url').equals(sig));
      expect(spellings.length).toBeGreaterThan(0);
      expect((await me(token)).status).toBe(200);
      for (const v of spellings) expect((await me(`${h}.${p}.${v}`)).status).toBe(401);
      expect((await me(`${h}.${p}.${s}=`)).status).toBe(401);
    });

    it('honours nbf, refuses iat in the future and any algorithm but HS256', async () => {
      const c = await claimsOf();
      expect((await me(signer().sign({ ...c, nbf: c.iat + 120 }))).status).toBe(401);
      expect((await me(signer().sign({ ...c, nbf: c.iat - 1 }))).status).toBe(200);
      expect((await me(signer().sign({ ...c, iat: c.iat + 120 }))).status).toBe(401);
      const key = createHmac('sha256', SECRET).update('tiergate-token:session').digest();
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const body = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(c)}`;
      expect((await me(`${body}.${createHmac('sha512', key).update(body).digest('base64url')}`)).status).toBe(401);
      expect((await me(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(c)}.`)).status).toBe(401);
    });
  });

  it('takes a weak TIERGATE_ADMIN_PASSWORD (CONTRACT.md: it is the admin password) with a warning saying why', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const weak = await startTestProcess({ name: 'gateway-weak-admin', modules: [GatewayModule], http: true }, { 'auth.adminPassword': 'admin1' });
      try {
        expect((await weak.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin1' } })).status).toBe(200);
        expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('TIERGATE_ADMIN_PASSWORD is weak: password must be at least 10 characters long (it has 6)'));
      } finally {
        await weak.stop();
      }
    } finally {
      warn.mockRestore();
    }
  });

  /** What another gateway does after changing a user: tell every process on the bus. */
  async function publishUserChanged(userId: string): Promise<void> {
    const bus = await MqttBus.connect(tg.running.infra.mqttUrl, `idn-test-${++n}`);
    try {
      await bus.publish(Topics.userChanged(userId), { userId, at: new Date().toISOString() }, { qos: 1 });
    } finally {
      await bus.close();
    }
  }
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
