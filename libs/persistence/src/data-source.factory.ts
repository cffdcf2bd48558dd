import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { runMigrationsLocked } from './migration.runner';
import { oneTurnPerMessage } from './event-loop-turns.pglite';

export interface DatabaseTarget {
  /** postgres://… for a server; empty for embedded PGlite. */
  url: string;
  /** Where PGlite keeps its files; `memory://` keeps nothing. */
  dataDir: string;
  /** Told when migrations wait for another process's (several processes starting on a fresh database). */
  onMigrationWait?: () => void;
}

/** Something to close after the DataSource (the embedded PGlite instance). */
export interface DatabaseHandle {
  dataSource: DataSource;
  embedded: boolean;
  close(): Promise<void>;
}

const common = {
  type: 'postgres' as const,
  entities: ENTITIES,
  migrations: MIGRATIONS,
  migrationsRun: false,
  synchronize: false,
  // No query logging: a failed query's parameters can hold password hashes; errors still propagate.
  logging: false,
  // gen_random_uuid() is built into Postgres 13+ (and PGlite): no extension to install.
  uuidExtension: 'pgcrypto' as const,
  installExtensions: false,
};

export function serverDataSourceOptions(url: string): DataSourceOptions {
  return { ...common, url, poolSize: 10, connectTimeoutMS: 5000 };
}

/**
 * Opens the database and applies pending migrations (under an advisory lock: see migration.runner.ts). The embedded default is real Postgres (PGlite)
 * reached through its node-postgres adapter under TypeORM's ordinary postgres driver, with a pool of one
 * connection so that transactions stay isolated (see STACK-NOTES.md); everything above this function is
 * the same code for both.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.url) {
    const dataSource = new DataSource(serverDataSourceOptions(target.url));
    try {
      await dataSource.initialize();
    } catch (e) {
      throw new Error(`cannot reach the database at ${describeUrl(target.url)}: ${(e as Error).message}`, { cause: e });
    }
    try {
      await runMigrationsLocked(dataSource, { onWait: target.onMigrationWait });
    } catch (e) {
      await dataSource.destroy().catch(() => undefined);
      throw e;
    }
    return { dataSource, embedded: false, close: () => dataSource.destroy() };
  }

  // PGlite ships as ESM with a CommonJS build; its node-postgres adapter lives under its own export.
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const dir = target.dataDir === 'memory://' ? undefined : resolve(join(target.dataDir, 'pg'));
  if (dir) mkdirSync(dir, { recursive: true });
  const pglite = dir ? new PGlite(dir) : new PGlite();
  await pglite.waitReady;
  const pgConfig = createPgConfig(oneTurnPerMessage(pglite));
  const dataSource = new DataSource({ ...common, poolSize: 1, extra: { ...pgConfig, connection: pgConfig.connection, max: 1 } } as DataSourceOptions);
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
  } catch (e) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    await pglite.close().catch(() => undefined);
    throw e;
  }
  return {
    dataSource,
    embedded: true,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pglite.close();
    },
  };
}

/** A database URL fit for a message: host, port and name, never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
