import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, SqlRunner, Tx } from '../transactor';
import { selectRows } from '../sql-runner';
import { ANALYZE_AFTER_ROWS, periodCounts } from './period-counts.sql';

/** One incident ready to store: parsed, validated and assigned to its jurisdiction. */
export interface IncidentRecord {
  id: string;
  type: string;
  occurredAt: Date;
  lat: number;
  lon: number;
  jurisdictionId: string;
}

/**
 * Which incidents a query covers. `jurisdictionIds: undefined` means every jurisdiction (the built-in
 * admin); an empty list means none (deny by default).
 */
export interface IncidentFilter {
  jurisdictionIds?: readonly string[];
  type?: string;
  from?: Date;
  to?: Date;
}

export interface IncidentRow {
  id: string;
  type: string;
  occurredAt: Date;
  lat: number;
  lon: number;
  jurisdictionId: string | null;
}

export interface IncidentProfile {
  perJurisdiction: { id: string | null; count: number }[];
  perType: { type: string; count: number }[];
  /** isoWeekday 1 = Monday … 7 = Sunday, local hour 0…23. */
  perWeekdayHour: { isoWeekday: number; hour: number; count: number }[];
}

/** Rows per INSERT … SELECT FROM unnest(…): one statement, six array parameters, whatever the count. */
const UPSERT_BATCH = 20_000;

/**
 * The only SQL for the `incidents` table. Imports are batched upserts keyed by the incident id
 * (`INSERT … ON CONFLICT (id) DO UPDATE`) in the caller's transaction (a `Tx` from the Transactor);
 * reads select only the columns they need, filtered in SQL.
 */
@Injectable()
export class IncidentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Upserts every record inside the caller's transaction, in batches. */
  async upsertAll(records: readonly IncidentRecord[], tx: Tx): Promise<void> {
    const runner = runnerOf(this.dataSource, tx);
    for (let start = 0; start < records.length; start += UPSERT_BATCH) {
      await this.upsertBatch(runner, records.slice(start, start + UPSERT_BATCH));
    }
  }

  private async upsertBatch(runner: SqlRunner, batch: readonly IncidentRecord[]): Promise<void> {
    await selectRows(
      runner,
      `INSERT INTO incidents (id, type, "occurredAt", lat, lon, "jurisdictionId", "importedAt")
       SELECT u.id, u.type, u.at, u.lat, u.lon, u.jid, now()
         FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::float8[], $5::float8[], $6::uuid[])
           AS u(id, type, at, lat, lon, jid)
       ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, "occurredAt" = EXCLUDED."occurredAt", lat = EXCLUDED.lat,
         lon = EXCLUDED.lon, "jurisdictionId" = EXCLUDED."jurisdictionId", "importedAt" = now()`,
      [
        batch.map((r) => r.id),
        batch.map((r) => r.type),
        batch.map((r) => r.occurredAt.toISOString()),
        batch.map((r) => r.lat),
        batch.map((r) => r.lon),
        batch.map((r) => r.jurisdictionId),
      ],
    );
  }

  /**
   * After an import of `rows` rows has committed: refreshes the planner's statistics of `incidents` when the import
   * was a bulk one (≥ ANALYZE_AFTER_ROWS). A Postgres server's autovacuum would do it a little later; embedded
   * PGlite runs none, and without statistics the planner takes the rates' one-pass count for a few hundred rows
   * and sorts the whole range on disk instead of hashing it (3-4× slower). Outside the import's transaction, so
   * concurrent imports never wait on each other's ANALYZE lock.
   */
  async analyzeAfterImport(rows: number): Promise<void> {
    if (rows >= ANALYZE_AFTER_ROWS) await selectRows(this.dataSource, `ANALYZE incidents`);
  }

  /** The current jurisdiction of each of `ids` that already exists (inside `tx` when given). */
  async ownersOf(ids: readonly string[], tx?: Tx): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const runner = runnerOf(this.dataSource, tx);
    for (let start = 0; start < ids.length; start += UPSERT_BATCH) {
      const rows = await selectRows<{ id: string; jurisdictionId: string | null }>(
        runner,
        `SELECT id, "jurisdictionId" FROM incidents WHERE id = ANY($1::varchar[])`,
        [ids.slice(start, start + UPSERT_BATCH)],
      );
      for (const r of rows) out.set(r.id, r.jurisdictionId);
    }
    return out;
  }

  async list(filter: IncidentFilter, page: { limit: number; offset: number }): Promise<IncidentRow[]> {
    const { where, params } = whereOf(filter);
    if (where === null) return [];
    const rows = await selectRows<IncidentRow>(
      this.dataSource,
      `SELECT id, type, "occurredAt", lat, lon, "jurisdictionId" FROM incidents ${where}
        ORDER BY "occurredAt" DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    );
    return rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt), lat: Number(r.lat), lon: Number(r.lon) }));
  }

  /**
   * Positions only, for the hotspot analysis. Sent back as one text value (Postgres prints float8 in
   * the shortest form that reads back to the same double): far cheaper than one row per incident.
   */
  async points(filter: IncidentFilter): Promise<{ lon: number; lat: number }[]> {
    const { where, params } = whereOf(filter);
    if (where === null) return [];
    const rows = await selectRows<{ s: string | null }>(
      this.dataSource,
      `SELECT string_agg(lon::text || ' ' || lat::text, ' ') AS s FROM incidents ${where}`,
      params,
    );
    return decodePoints(rows[0]?.s ?? null);
  }

  /** Positions and times (ms since the epoch), for the emerging hot-spot analysis; one text value like `points`. */
  async timedPoints(filter: IncidentFilter): Promise<{ lon: number; lat: number; at: number }[]> {
    const { where, params } = whereOf(filter);
    if (where === null) return [];
    const rows = await selectRows<{ s: string | null }>(
      this.dataSource,
      `SELECT string_agg(lon::text || ' ' || lat::text || ' ' || floor(extract(epoch FROM "occurredAt") * 1000)::bigint::text, ' ') AS s FROM incidents ${where}`,
      params,
    );
    const parts = rows[0]?.s ? rows[0].s.split(' ') : [];
    const out = new Array<{ lon: number; lat: number; at: number }>(Math.floor(parts.length / 3));
    for (let k = 0; k < out.length; k++) out[k] = { lon: Number(parts[3 * k]), lat: Number(parts[3 * k + 1]), at: Number(parts[3 * k + 2]) };
    return out;
  }

  /**
   * Incidents per jurisdiction and type in each of `periods` (`occurredAt` in [from, to)), in one scan of the
   * rows between the earliest start and the latest end (the rates, docs/methods.md); `period` is the index in
   * `periods`. Unplaced incidents are left out, and so are zero counts.
   *
   * One pass: each row is grouped once by (jurisdiction, type) and counted into every period that holds it
   * (`count(*) FILTER`), so the periods (which may overlap) cost comparisons, not joined copies of the rows
   * (joining the rows to the periods grouped three copies of a year and sorted them on disk: ~10× slower).
   */
  async countsPerJurisdictionAndType(periods: readonly { from: Date; to: Date }[]): Promise<{ period: number; jurisdictionId: string; type: string; count: number }[]> {
    if (periods.length === 0) return [];
    const { columns, params } = periodCounts('"occurredAt"', periods);
    const rows = await selectRows<{ jurisdictionId: string; type: string } & Record<string, string>>(
      this.dataSource,
      `SELECT "jurisdictionId", type, ${columns}
         FROM incidents WHERE "jurisdictionId" IS NOT NULL AND "occurredAt" >= $1 AND "occurredAt" < $2
        GROUP BY 1, 2`,
      params,
    );
    const out: { period: number; jurisdictionId: string; type: string; count: number }[] = [];
    for (const r of rows) {
      for (let k = 0; k < periods.length; k++) {
        const count = Number(r[`c${k}`]);
        if (count > 0) out.push({ period: k, jurisdictionId: r.jurisdictionId, type: r.type, count });
      }
    }
    return out;
  }

  /**
   * Aggregates for the "three highs" summary, computed in SQL: counts per jurisdiction, per type, and
   * per local weekday (1 = Monday … 7 = Sunday) and hour at the given fixed UTC offset.
   */
  async profile(filter: IncidentFilter, utcOffsetMinutes: number): Promise<IncidentProfile> {
    const { where, params } = whereOf(filter);
    if (where === null) return { perJurisdiction: [], perType: [], perWeekdayHour: [] };
    const perJurisdiction = await selectRows<{ id: string | null; count: string }>(
      this.dataSource,
      `SELECT "jurisdictionId" AS id, count(*) AS count FROM incidents ${where} GROUP BY "jurisdictionId"`,
      params,
    );
    const perType = await selectRows<{ type: string; count: string }>(this.dataSource, `SELECT type, count(*) AS count FROM incidents ${where} GROUP BY type`, params);
    const local = `(("occurredAt" + $${params.length + 1}::int * interval '1 minute') AT TIME ZONE 'UTC')`;
    const perWeekdayHour = await selectRows<{ dow: string | number; hour: string | number; count: string }>(
      this.dataSource,
      `SELECT extract(isodow FROM ${local})::int AS dow, extract(hour FROM ${local})::int AS hour, count(*) AS count
         FROM incidents ${where} GROUP BY 1, 2`,
      [...params, utcOffsetMinutes],
    );
    return {
      perJurisdiction: perJurisdiction.map((r) => ({ id: r.id, count: Number(r.count) })),
      perType: perType.map((r) => ({ type: r.type, count: Number(r.count) })),
      perWeekdayHour: perWeekdayHour.map((r) => ({ isoWeekday: Number(r.dow), hour: Number(r.hour), count: Number(r.count) })),
    };
  }
}

/** The WHERE clause of a filter; `null` when it can match nothing. */
function whereOf(filter: IncidentFilter): { where: string | null; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.jurisdictionIds !== undefined) {
    if (filter.jurisdictionIds.length === 0) return { where: null, params };
    params.push([...filter.jurisdictionIds]);
    parts.push(`"jurisdictionId" = ANY($${params.length}::uuid[])`);
  }
  if (filter.type !== undefined) {
    params.push(filter.type);
    parts.push(`type = $${params.length}`);
  }
  if (filter.from !== undefined) {
    params.push(filter.from.toISOString());
    parts.push(`"occurredAt" >= $${params.length}`);
  }
  if (filter.to !== undefined) {
    params.push(filter.to.toISOString());
    parts.push(`"occurredAt" < $${params.length}`);
  }
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** "lon lat lon lat …" back to points. */
export function decodePoints(text: string | null): { lon: number; lat: number }[] {
  if (!text) return [];
  const parts = text.split(' ');
  const out = new Array<{ lon: number; lat: number }>(parts.length >> 1);
  for (let k = 0; k < out.length; k++) out[k] = { lon: Number(parts[2 * k]), lat: Number(parts[2 * k + 1]) };
  return out;
}
