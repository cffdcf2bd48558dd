import { DataSource } from 'typeorm';
import { createScratchDatabase, describeUrl, openDatabase } from '@tiergate/persistence';

export interface BenchReport<T> {
  date: string;
  /** 'embedded PGlite', or the server it ran on (no password). */
  database: string;
  /** true when DATABASE_URL pointed it at a server. */
  server: boolean;
  node: string;
  result: T;
}

/**
 * Runs a database benchmark on embedded PGlite, or with DATABASE_URL set in a scratch database on that
 * server (dropped afterwards), and stamps the result with where and when it ran.
 */
export async function runOnBenchDatabase<T extends object>(run: (ds: DataSource) => Promise<T>): Promise<BenchReport<T>> {
  const serverUrl = process.env.DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, 'tiergate_bench') : undefined;
  const db = await openDatabase({ url: scratch?.url ?? '', dataDir: 'memory://' });
  try {
    const result = await run(db.dataSource);
    return {
      date: new Date().toISOString(),
      database: serverUrl ? `postgres ${describeUrl(serverUrl)}` : 'embedded PGlite',
      server: serverUrl !== undefined,
      node: process.version,
      result,
    };
  } finally {
    await db.close();
    await scratch?.drop();
  }
}
