import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

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

export interface ProfileRow {
  jurisdictionId: string | null;
  type: string;
  t: number;
  lon: number;
  lat: number;
}

/** Rows per INSERT … SELECT FROM unnest(…): one statement, six array parameters, whatever the count. */
const UPSERT_BATCH = 10_000;

/**
 * The only code that touches the incidents table. Imports are batched upserts keyed by the incident id
 * (`INSERT … ON CONFLICT (id) DO UPDATE`) in one transaction; reads select only the columns they need,
 * filtered in SQL.
 */
@Injectable()
export class IncidentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores every record or none; tells how many ids were new and how many updated an incident. */
  async upsertAll(records: readonly IncidentRecord[]): Promise<{ created: number; updated: number }> {
    if (records.length === 0) return { created: 0, updated: 0 };
    return this.dataSource.transaction(async (manager) => {
      let created = 0;
      for (let start = 0; start < records.length; start += UPSERT_BATCH) {
        created += await this.upsertBatch(manager, records.slice(start, start + UPSERT_BATCH));
      }
      return { created, updated: records.length - created };
    });
  }

  private async upsertBatch(manager: EntityManager, batch: readonly IncidentRecord[]): Promise<number> {
    const rows: { created: string | number }[] = await manager.query(
      `WITH up AS (
         INSERT INTO incidents (id, type, "occurredAt", lat, lon, "jurisdictionId", "importedAt")
         SELECT u.id, u.type, u.at, u.lat, u.lon, u.jid, now()
           FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::float8[], $5::float8[], $6::uuid[])
             AS u(id, type, at, lat, lon, jid)
         ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, "occurredAt" = EXCLUDED."occurredAt", lat = EXCLUDED.lat,
           lon = EXCLUDED.lon, "jurisdictionId" = EXCLUDED."jurisdictionId", "importedAt" = now()
         RETURNING (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE inserted) AS created FROM up`,
      [
        batch.map((r) => r.id),
        batch.map((r) => r.type),
        batch.map((r) => r.occurredAt.toISOString()),
        batch.map((r) => r.lat),
        batch.map((r) => r.lon),
        batch.map((r) => r.jurisdictionId),
      ],
    );
    return Number(rows[0]?.created ?? 0);
  }

  /** The current jurisdiction of each of `ids` that already exists. */
  async ownersOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (let start = 0; start < ids.length; start += UPSERT_BATCH) {
      const rows: { id: string; jurisdictionId: string | null }[] = await this.dataSource.query(
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
    const rows: IncidentRow[] = await this.dataSource.query(
      `SELECT id, type, "occurredAt", lat, lon, "jurisdictionId" FROM incidents ${where}
        ORDER BY "occurredAt" DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    );
    return rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt), lat: Number(r.lat), lon: Number(r.lon) }));
  }

  /** Positions only, for the hotspot analysis. */
  async points(filter: IncidentFilter): Promise<{ lon: number; lat: number }[]> {
    const { where, params } = whereOf(filter);
    if (where === null) return [];
    const rows: { lon: number; lat: number }[] = await this.dataSource.query(`SELECT lon, lat FROM incidents ${where}`, params);
    return rows;
  }

  /** What the "three highs" summary needs: jurisdiction, type, time (ms since the epoch) and position. */
  async profileRows(filter: IncidentFilter): Promise<ProfileRow[]> {
    const { where, params } = whereOf(filter);
    if (where === null) return [];
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT "jurisdictionId", type, (extract(epoch FROM "occurredAt") * 1000)::float8 AS t, lon, lat FROM incidents ${where}`,
      params,
    );
    return rows;
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
