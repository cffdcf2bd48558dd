import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, SqlRunner, Tx } from '../transactor';
import { selectRows } from '../sql-runner';
import { ANALYZE_AFTER_ROWS, periodCounts } from './period-counts.sql';

/** One stop-and-check ready to store: parsed, validated and assigned to its jurisdiction. */
export interface StopCheckRecord {
  checkedAt: Date;
  place: string;
  lat: number | null;
  lon: number | null;
  jurisdictionId: string;
  persons: number;
  vehicles: number;
  result: string;
}

/** Per jurisdiction: stop-and-checks and captures in one of the periods asked for (its index). */
export interface StopCheckCounts {
  period: number;
  jurisdictionId: string;
  checks: number;
  captures: number;
}

const INSERT_BATCH = 20_000;

/** The only SQL for `stop_checks`. Imports are batched inserts in the caller's transaction (all-or-nothing). */
@Injectable()
export class StopChecksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertAll(records: readonly StopCheckRecord[], importedBy: string | null, tx: Tx): Promise<void> {
    const runner = runnerOf(this.dataSource, tx);
    for (let start = 0; start < records.length; start += INSERT_BATCH) await this.insertBatch(runner, records.slice(start, start + INSERT_BATCH), importedBy);
  }

  /**
   * After an import of `rows` rows has committed: refreshes the planner's statistics of `stop_checks` when the import
   * was a bulk one (≥ ANALYZE_AFTER_ROWS). A Postgres server's autovacuum would do it a little later; embedded
   * PGlite runs none, and without statistics the planner takes the rates' one-pass count for a few hundred rows
   * and sorts the whole range on disk instead of hashing it (3-4× slower). Outside the import's transaction, so
   * concurrent imports never wait on each other's ANALYZE lock.
   */
  async analyzeAfterImport(rows: number): Promise<void> {
    if (rows >= ANALYZE_AFTER_ROWS) await selectRows(this.dataSource, `ANALYZE stop_checks`);
  }

  private async insertBatch(runner: SqlRunner, batch: readonly StopCheckRecord[], importedBy: string | null): Promise<void> {
    await selectRows(
      runner,
      `INSERT INTO stop_checks ("checkedAt", place, lat, lon, "jurisdictionId", persons, vehicles, result, "importedBy")
       SELECT u.at, u.place, u.lat, u.lon, u.jid, u.persons, u.vehicles, u.result, $9::uuid
         FROM unnest($1::timestamptz[], $2::text[], $3::float8[], $4::float8[], $5::uuid[], $6::int[], $7::int[], $8::varchar[])
           AS u(at, place, lat, lon, jid, persons, vehicles, result)`,
      [
        batch.map((r) => r.checkedAt.toISOString()),
        batch.map((r) => r.place),
        batch.map((r) => r.lat),
        batch.map((r) => r.lon),
        batch.map((r) => r.jurisdictionId),
        batch.map((r) => r.persons),
        batch.map((r) => r.vehicles),
        batch.map((r) => r.result),
        importedBy,
      ],
    );
  }

  /**
   * Stop-and-checks and those of them captured per jurisdiction in each of `periods` (`checkedAt` in [from, to)),
   * in one scan grouped once by node (periodCounts); `period` is the index in `periods`. Nodes without any in a
   * period are absent from it.
   */
  async countsPerJurisdiction(periods: readonly { from: Date; to: Date }[]): Promise<StopCheckCounts[]> {
    if (periods.length === 0) return [];
    const { columns, params } = periodCounts('"checkedAt"', periods, [{ name: 'checks' }, { name: 'captures', condition: `result = 'captured'` }]);
    const rows = await selectRows<{ jurisdictionId: string } & Record<string, string>>(
      this.dataSource,
      `SELECT "jurisdictionId", ${columns} FROM stop_checks
        WHERE "jurisdictionId" IS NOT NULL AND "checkedAt" >= $1 AND "checkedAt" < $2 GROUP BY 1`,
      params,
    );
    const out: StopCheckCounts[] = [];
    for (const r of rows) {
      for (let k = 0; k < periods.length; k++) {
        const checks = Number(r[`checks${k}`]);
        if (checks > 0) out.push({ period: k, jurisdictionId: r.jurisdictionId, checks, captures: Number(r[`captures${k}`]) });
      }
    }
    return out;
  }

  /** How many rows the table holds (tests: an import refused whole leaves it unchanged). */
  async count(): Promise<number> {
    const rows = await selectRows<{ n: string }>(this.dataSource, `SELECT count(*) AS n FROM stop_checks`);
    return Number(rows[0].n);
  }
}
