import { DataSource, MigrationExecutor } from 'typeorm';

/** Advisory lock key of Tiergate's migrations: "tiergate" in ASCII, as a signed 64-bit integer. */
export const MIGRATION_LOCK_KEY = '8388350904993231973';

export interface MigrationRunOptions {
  /** How long to wait for another process's migrations before giving up. */
  lockTimeoutMs?: number;
  /** Told once when another process holds the lock (so a slow start says why). */
  onWait?: () => void;
}

/**
 * Applies pending migrations under a session-level Postgres advisory lock, so that processes starting
 * together on a fresh database run them one after another: the first applies them, the others find
 * nothing pending. The lock and the migrations share one connection (PGlite has only one), and the lock
 * goes with the session if the process dies.
 */
export async function runMigrationsLocked(dataSource: DataSource, options: MigrationRunOptions = {}): Promise<void> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 300_000;
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    const deadline = Date.now() + lockTimeoutMs;
    let told = false;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      const [{ locked }] = await queryRunner.query(`SELECT pg_try_advisory_lock($1::bigint) AS locked`, [MIGRATION_LOCK_KEY]);
      if (locked) break;
      if (Date.now() >= deadline) {
        throw new Error(`another process has been running database migrations for more than ${Math.round(lockTimeoutMs / 1000)} s (advisory lock ${MIGRATION_LOCK_KEY})`);
      }
      if (!told) options.onWait?.();
      told = true;
      await new Promise((r) => setTimeout(r, delay));
    }
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      await queryRunner.query(`SELECT pg_advisory_unlock($1::bigint)`, [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await queryRunner.release();
  }
}
