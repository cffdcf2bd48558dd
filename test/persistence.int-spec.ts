import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { JurisdictionEntity, openDatabase } from '@tiergate/persistence';

const external = process.env.TIERGATE_TEST_MODE === 'external';

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

describe('persistence: migrations and restarts', () => {
  let dataDir: string;
  let url = '';
  let dbName = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tg-db-'));
    if (external) {
      dbName = `tiergate_t_${randomBytes(6).toString('hex')}`;
      await admin(`CREATE DATABASE "${dbName}"`);
      const u = new URL(process.env.DATABASE_URL!);
      u.pathname = `/${dbName}`;
      url = u.toString();
    }
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName) await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  });

  it('keeps data across a restart, and a second migration run changes nothing', async () => {
    const first = await openDatabase({ url, dataDir });
    await first.dataSource.getRepository(JurisdictionEntity).insert({ code: '21010300000000000000', name: 'Sub-bureau', tier: 'sub-bureau', parentId: null });
    const applied = (await first.dataSource.query(`SELECT name FROM migrations ORDER BY id`)).map((r: { name: string }) => r.name);
    expect(applied.length).toBeGreaterThan(0);
    await first.close();

    const second = await openDatabase({ url, dataDir });
    try {
      expect(await second.dataSource.showMigrations()).toBe(false);
      expect((await second.dataSource.query(`SELECT name FROM migrations ORDER BY id`)).map((r: { name: string }) => r.name)).toEqual(applied);
      const rows = await second.dataSource.getRepository(JurisdictionEntity).find();
      expect(rows.map((r) => r.code)).toEqual(['21010300000000000000']);
    } finally {
      await second.close();
    }
  });

  it('refuses to change or delete audit entries', async () => {
    const db = await openDatabase({ url, dataDir });
    try {
      await db.dataSource.query(`INSERT INTO audit_log (action) VALUES ('test.append')`);
      await expect(db.dataSource.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(db.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    } finally {
      await db.close();
    }
  });

  it('names the server, never the password, when the database cannot be reached', async () => {
    await expect(openDatabase({ url: 'postgres://tg:s3cret@127.0.0.1:1/nowhere', dataDir })).rejects.toThrow(/cannot reach the database at postgres:\/\/127\.0\.0\.1:1\/nowhere/);
    await expect(openDatabase({ url: 'postgres://tg:s3cret@127.0.0.1:1/nowhere', dataDir })).rejects.not.toThrow(/s3cret/);
  });
});
