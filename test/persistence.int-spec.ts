import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, JurisdictionEntity, openDatabase, ScratchDatabase } from '@tiergate/persistence';

const external = process.env.TIERGATE_TEST_MODE === 'external';

describe('persistence: migrations and restarts', () => {
  let dataDir: string;
  let url = '';
  let scratch: ScratchDatabase | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tg-db-'));
    if (external) {
      scratch = await createScratchDatabase(process.env.DATABASE_URL!);
      url = scratch.url;
    }
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
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
