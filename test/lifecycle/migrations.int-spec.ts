import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createScratchDatabase, DatabaseHandle, MIGRATION_LOCK_KEY, MIGRATIONS, openDatabase, ScratchDatabase } from '@tiergate/persistence';

const external = process.env.TIERGATE_TEST_MODE === 'external';
const appliedNames = async (db: DatabaseHandle) => (await db.dataSource.query(`SELECT name FROM migrations ORDER BY id`)).map((r: { name: string }) => r.name);

describe('lifecycle: migrations are serialised by an advisory lock', () => {
  describe('embedded (PGlite)', () => {
    let dataDir: string;
    beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'tg-mig-'))));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('takes the lock, applies every migration and releases it', async () => {
      const db = await openDatabase({ url: '', dataDir });
      try {
        expect(await appliedNames(db)).toHaveLength(MIGRATIONS.length);
        // Released: the same (only) session can take it again at once.
        const [{ locked }] = await db.dataSource.query(`SELECT pg_try_advisory_lock($1::bigint) AS locked`, [MIGRATION_LOCK_KEY]);
        expect(locked).toBe(true);
        await db.dataSource.query(`SELECT pg_advisory_unlock($1::bigint)`, [MIGRATION_LOCK_KEY]);
      } finally {
        await db.close();
      }
    }, 120_000); // a file-backed PGlite's initdb and every migration: 17 s alone on a loaded machine
  });

  (external ? describe : describe.skip)('on a Postgres server', () => {
    let scratch: ScratchDatabase;
    beforeEach(async () => (scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'tiergate_mig')));
    afterEach(() => scratch.drop());

    it('six processes starting at once on a fresh database all start, and each migration runs once', async () => {
      const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openDatabase({ url: scratch.url, dataDir: 'unused' })));
      const handles = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        expect(opened.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
        const names = await appliedNames(handles[0]);
        expect(names).toHaveLength(MIGRATIONS.length);
        expect(new Set(names).size).toBe(names.length);
      } finally {
        await Promise.all(handles.map((h) => h.close()));
      }
    });

    it('waits while another session holds the lock, then finds the migrations done', async () => {
      const holder = new Client({ connectionString: scratch.url });
      await holder.connect();
      try {
        await holder.query(`SELECT pg_advisory_lock($1::bigint)`, [MIGRATION_LOCK_KEY]);
        let waited = false;
        const opening = openDatabase({ url: scratch.url, dataDir: 'unused', onMigrationWait: () => (waited = true) });
        await new Promise((r) => setTimeout(r, 700));
        expect(waited).toBe(true);
        // Nothing ran while the lock was held elsewhere.
        const [{ exists }] = (await holder.query(`SELECT to_regclass('public.migrations') IS NOT NULL AS exists`)).rows;
        expect(exists).toBe(false);
        await holder.query(`SELECT pg_advisory_unlock($1::bigint)`, [MIGRATION_LOCK_KEY]);
        const db = await opening;
        try {
          expect(await appliedNames(db)).toHaveLength(MIGRATIONS.length);
        } finally {
          await db.close();
        }
        // And the opener let go of it.
        expect((await holder.query(`SELECT pg_try_advisory_lock($1::bigint) AS locked`, [MIGRATION_LOCK_KEY])).rows[0].locked).toBe(true);
      } finally {
        await holder.end();
      }
    });
  });
});
