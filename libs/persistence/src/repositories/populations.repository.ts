import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, Tx } from '../transactor';
import { selectRows } from '../sql-runner';

export interface PopulationRecord {
  jurisdictionId: string;
  population: number;
  source: 'geojson' | 'csv';
}

/** The only SQL for `jurisdiction_populations`: each node's own resident figure (docs/methods.md). */
@Injectable()
export class PopulationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Sets the figure of every record (inside the caller's transaction when given): one statement. */
  async upsertAll(records: readonly PopulationRecord[], tx?: Tx): Promise<void> {
    if (records.length === 0) return;
    await selectRows(
      runnerOf(this.dataSource, tx),
      `INSERT INTO jurisdiction_populations ("jurisdictionId", population, source, "updatedAt")
       SELECT u.jid, u.pop, u.src, now() FROM unnest($1::uuid[], $2::bigint[], $3::varchar[]) AS u(jid, pop, src)
       ON CONFLICT ("jurisdictionId") DO UPDATE SET population = EXCLUDED.population, source = EXCLUDED.source, "updatedAt" = now()`,
      [records.map((r) => r.jurisdictionId), records.map((r) => r.population), records.map((r) => r.source)],
    );
  }

  /** Every node's own figure. */
  async all(): Promise<Map<string, number>> {
    const rows = await selectRows<{ jurisdictionId: string; population: string }>(this.dataSource, `SELECT "jurisdictionId", population FROM jurisdiction_populations`);
    return new Map(rows.map((r) => [r.jurisdictionId, Number(r.population)]));
  }
}
