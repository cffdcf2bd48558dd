import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, SqlRunner, Tx } from '../transactor';
import { selectRows } from '../sql-runner';

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
   * in one scan; `period` is the index in `periods`. Nodes without any are absent.
   */
  async countsPerJurisdiction(periods: readonly { from: Date; to: Date }[]): Promise<StopCheckCounts[]> {
    if (periods.length === 0) return [];
    const rows = await selectRows<{ k: string; jurisdictionId: string; checks: string; captures: string }>(
      this.dataSource,
      `SELECT p.k, s."jurisdictionId", count(*) AS checks, count(*) FILTER (WHERE s.result = 'captured') AS captures
         FROM stop_checks s JOIN unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS p(f, t, k) ON s."checkedAt" >= p.f AND s."checkedAt" < p.t
        WHERE s."jurisdictionId" IS NOT NULL AND s."checkedAt" >= (SELECT min(x) FROM unnest($1::timestamptz[]) x) AND s."checkedAt" < (SELECT max(x) FROM unnest($2::timestamptz[]) x)
        GROUP BY 1, 2`,
      [periods.map((p) => p.from.toISOString()), periods.map((p) => p.to.toISOString())],
    );
    return rows.map((r) => ({ period: Number(r.k) - 1, jurisdictionId: r.jurisdictionId, checks: Number(r.checks), captures: Number(r.captures) }));
  }

  /** How many rows the table holds (tests: an import refused whole leaves it unchanged). */
  async count(): Promise<number> {
    const rows = await selectRows<{ n: string }>(this.dataSource, `SELECT count(*) AS n FROM stop_checks`);
    return Number(rows[0].n);
  }
}
