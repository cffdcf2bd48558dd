import type { SqlRunner } from './transactor';

/**
 * The one place that knows how TypeORM's postgres driver answers a raw statement, embedded (PGlite
 * through its node-postgres adapter) and external (pg) alike: a SELECT (or INSERT … RETURNING) answers
 * its rows, an UPDATE or DELETE answers `[rows, rowCount]`. Repositories call these two helpers instead
 * of reading driver results themselves.
 */

/** The rows of a statement that reads (SELECT, INSERT … RETURNING, WITH …). */
export async function selectRows<T>(runner: SqlRunner, sql: string, parameters: readonly unknown[] = []): Promise<T[]> {
  return rowsOf<T>(await runner.query(sql, [...parameters]));
}

/** The rows (RETURNING) and the number of rows touched by an UPDATE, DELETE or INSERT. */
export async function writeRows<T = unknown>(runner: SqlRunner, sql: string, parameters: readonly unknown[] = []): Promise<{ rows: T[]; affected: number }> {
  const result: unknown = await runner.query(sql, [...parameters]);
  if (isRowsAndCount(result)) return { rows: result[0] as T[], affected: result[1] };
  const rows = rowsOf<T>(result);
  return { rows, affected: rows.length };
}

function rowsOf<T>(result: unknown): T[] {
  if (isRowsAndCount(result)) return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}

/** `[rows, rowCount]`: rows are objects, so an answer of plain rows never matches. */
function isRowsAndCount(result: unknown): result is [unknown[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}
