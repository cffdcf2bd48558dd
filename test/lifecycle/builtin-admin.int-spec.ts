/**
 * Several gateways starting at once on an empty database each create the built-in admin: the fault suite's
 * cold start lost a gateway to `duplicate key value violates unique constraint` in 5 of 6 runs. Exactly one
 * wins; the others go on, and none prints a password that is not the admin's.
 */
import { DataSource } from 'typeorm';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { UsersService } from '../../apps/gateway/src/identity/users.service';
import { startTestProcess, TestProcess } from '../support/harness';

describe('built-in admin on an empty database, several starters at once', () => {
  let tg: TestProcess;
  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true }, { 'auth.adminPassword': '' });
  });
  afterAll(() => tg?.stop());

  it('one creates it, the others find it there; every start succeeds', async () => {
    const db = tg.running.app.get(DataSource);
    await db.query('DELETE FROM users');
    const users = tg.running.app.get(UsersService);
    const results = await Promise.all(Array.from({ length: 4 }, () => users.ensureBuiltInAdmin()));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => r.generatedPassword !== undefined)).toHaveLength(1);
    const rows: { username: string }[] = await db.query('SELECT username FROM users');
    expect(rows.map((r) => r.username)).toEqual(['admin']);
  });
});
