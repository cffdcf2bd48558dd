import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tiergate/domain';
import type { CameraDeviceInfo, CameraProfile, CameraStatus } from '@tiergate/domain';
import { runnerOf, Tx } from '../transactor';
import { selectRows, writeRows } from '../sql-runner';
import { cameraOrder, CameraSort, SortOrder } from './camera-sort';

export { CAMERA_SORTS, SORT_ORDERS, STATUS_URGENCY, cameraOrder } from './camera-sort';
export type { CameraSort, CameraOrder, SortOrder } from './camera-sort';

/** A camera row as stored (the password sealed, never plain). */
export interface CameraRecord {
  id: string;
  name: string;
  jurisdictionId: string | null;
  /** True when an operator pinned the jurisdiction by hand: geometry no longer moves it. */
  jurisdictionPinned: boolean;
  lat: number | null;
  lon: number | null;
  tags: string[];
  onvifHost: string | null;
  onvifPort: number | null;
  username: string | null;
  passwordSealed: string | null;
  rtspUrl: string | null;
  snapshotUri: string | null;
  endpointReference: string | null;
  profiles: CameraProfile[];
  device: CameraDeviceInfo | null;
  status: string;
  statusReason: string | null;
  lastSeenAt: Date | null;
  statusCheckedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a camera list shows of each camera (no credentials, profiles or device). */
export type CameraListRecord = Pick<
  CameraRecord,
  'id' | 'name' | 'jurisdictionId' | 'jurisdictionPinned' | 'lat' | 'lon' | 'tags' | 'onvifHost' | 'status' | 'statusReason' | 'lastSeenAt' | 'statusCheckedAt' | 'createdAt' | 'updatedAt'
>;

/** A camera to insert: every stored field but the generated ones. */
export type NewCamera = Omit<CameraRecord, 'id' | 'createdAt' | 'updatedAt'>;

/** The fields that may change through the API (status is the health monitor's: `recordStatus`). */
export type CameraPatch = Partial<Pick<NewCamera, 'name' | 'tags' | 'lat' | 'lon' | 'jurisdictionId' | 'jurisdictionPinned' | 'username' | 'passwordSealed'>>;

/**
 * The one literal of a new camera row: the given fields over the defaults of a camera nobody has
 * contacted yet (unknown status, no profiles, no device, not pinned).
 */
export function newCamera(fields: Pick<NewCamera, 'name' | 'jurisdictionId'> & Partial<NewCamera>): NewCamera {
  return {
    jurisdictionPinned: false,
    lat: null,
    lon: null,
    tags: [],
    onvifHost: null,
    onvifPort: null,
    username: null,
    passwordSealed: null,
    rtspUrl: null,
    snapshotUri: null,
    endpointReference: null,
    profiles: [],
    device: null,
    status: 'unknown',
    statusReason: null,
    lastSeenAt: null,
    statusCheckedAt: null,
    ...fields,
  };
}

/**
 * Which cameras a caller may see: all, or those of these nodes plus these cameras. Deny by default:
 * an empty visibility sees nothing. (`Scope` from @tiergate/access is one.)
 */
export interface CameraVisibility {
  all: boolean;
  jurisdictionIds: ReadonlySet<string>;
  cameraIds: ReadonlySet<string>;
}

export interface CameraFilter {
  /** Restrict to these jurisdictions (a subtree), already resolved by the caller. */
  jurisdictionIds?: readonly string[];
  tag?: string;
  status?: string;
  q?: string;
  /** A whitelisted key (camera-sort.ts); name when not given. */
  sort?: CameraSort;
  order?: SortOrder;
  limit?: number;
  offset?: number;
}

export interface DuplicateKeys {
  hostPorts: readonly { host: string; port: number }[];
  endpoints: readonly string[];
  rtspUrls: readonly string[];
}

export type CameraKeys = Pick<CameraRecord, 'id' | 'jurisdictionId' | 'onvifHost' | 'onvifPort' | 'endpointReference' | 'rtspUrl'>;

/** What the health monitor needs to check a camera. */
export interface CameraCheckTarget {
  id: string;
  onvifHost: string | null;
  onvifPort: number | null;
  username: string | null;
  passwordSealed: string | null;
  rtspUrl: string | null;
  /** An ONVIF camera still without its profiles or device information. */
  needsOnboarding: boolean;
}

/** A status the health monitor records; `probed` after an onboarding, `seenOnly` for a stream sighting (not a check). */
export interface CameraStatusRecord {
  status: CameraStatus;
  reason: string | null;
  at: Date;
  probed?: { profiles: CameraProfile[]; device: CameraDeviceInfo; snapshotUri?: string | null };
  seenOnly?: boolean;
}

/** A short camera summary (walls): position and status. */
export interface CameraBrief {
  id: string;
  name: string;
  jurisdictionId: string | null;
  location: { lat: number; lon: number } | null;
  status: string;
}

const ALL_COLUMNS = `id, name, "jurisdictionId", "jurisdictionPinned", lat, lon, tags, "onvifHost", "onvifPort", username, "passwordSealed",
  "rtspUrl", "snapshotUri", "endpointReference", profiles, device, status, "statusReason", "lastSeenAt", "statusCheckedAt", "createdAt", "updatedAt"`;
const LIST_COLUMNS = `id, name, "jurisdictionId", "jurisdictionPinned", lat, lon, tags, "onvifHost", status, "statusReason", "lastSeenAt", "statusCheckedAt", "createdAt", "updatedAt"`;
/**
 * A timestamp cut to whole milliseconds (what a JS Date holds; the driver's parser truncates the
 * microseconds too): in JSON it is ISO 8601 with its offset and at most 3 fraction digits, which
 * `new Date` reads exactly. Cheaper on PGlite than epoch arithmetic (numeric) or to_char.
 */
const toMs = (column: string) => `date_trunc('milliseconds', ${column})`;
/** One camera of a list as a JSON array: the fields of `CameraListRecord` in `fromListTuple`'s order. */
const LIST_TUPLE = `json_build_array(id, name, "jurisdictionId", "jurisdictionPinned", lat, lon, tags, "onvifHost", status, "statusReason",
  ${toMs('"lastSeenAt"')}, ${toMs('"statusCheckedAt"')}, ${toMs('"createdAt"')}, ${toMs('"updatedAt"')})`;
type ListTuple = [
  id: string, name: string, jurisdictionId: string | null, jurisdictionPinned: boolean, lat: number | null, lon: number | null, tags: string[] | null,
  onvifHost: string | null, status: string, statusReason: string | null, lastSeenAt: string | null, statusCheckedAt: string | null, createdAt: string, updatedAt: string,
];
const CHECK_COLUMNS = `id, "onvifHost", "onvifPort", username, "passwordSealed", "rtspUrl",
  ("onvifHost" IS NOT NULL AND (profiles = '[]'::jsonb OR device IS NULL)) AS "needsOnboarding"`;
/** Columns of an insert, in order; jsonb ones are sent as JSON text. */
const INSERT_COLUMNS: readonly (keyof NewCamera)[] = [
  'name', 'jurisdictionId', 'jurisdictionPinned', 'lat', 'lon', 'tags', 'onvifHost', 'onvifPort', 'username', 'passwordSealed',
  'rtspUrl', 'snapshotUri', 'endpointReference', 'profiles', 'device', 'status', 'statusReason', 'lastSeenAt', 'statusCheckedAt',
];
const JSON_COLUMNS = new Set<keyof NewCamera>(['profiles', 'device']);
const PATCH_COLUMNS: readonly (keyof CameraPatch)[] = ['name', 'tags', 'lat', 'lon', 'jurisdictionId', 'jurisdictionPinned', 'username', 'passwordSealed'];
const INSERT_BATCH = 500;

/**
 * The only SQL for the `cameras` table. Reads that a caller's scope limits take a `CameraVisibility`
 * and filter in SQL; answers are plain records (no TypeORM entities), so the list of a station's
 * cameras is one indexed SELECT mapped by hand.
 */
@Injectable()
export class CameraRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Cameras the visibility allows that match the filter, in the filter's order (camera-sort.ts: name by
   * default, id as the tie-breaker; all of them without a limit), and how many match in all. One statement answering one row: the count and the page as one
   * JSON array of tuples (`LIST_TUPLE`), so the driver decodes one field instead of 14 per camera
   * (see the README's bench:access for why).
   */
  async list(visibility: CameraVisibility, filter: CameraFilter): Promise<{ rows: CameraListRecord[]; total: number }> {
    const where = visibleWhere(visibility);
    if (!where) return { rows: [], total: 0 };
    const { params } = where;
    const parts = [where.sql];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      parts.push(sql(`$${params.length}`));
    };
    if (filter.jurisdictionIds) add((p) => `"jurisdictionId" = ANY(${p}::uuid[])`, [...filter.jurisdictionIds]);
    if (filter.tag) add((p) => `${p}::text = ANY(tags)`, filter.tag);
    if (filter.status) add((p) => `status = ${p}`, filter.status);
    if (filter.q) add((p) => `name ILIKE ${p} ESCAPE '\\'`, `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const condition = parts.join(' AND ');
    const order = cameraOrder(filter.sort, filter.order);
    const aggregate = `coalesce(json_agg(${LIST_TUPLE} ORDER BY ${order.orderBy('sort_key')}), '[]')::text AS page`;
    const rows = `SELECT ${LIST_COLUMNS}, ${order.key} AS sort_key FROM cameras WHERE ${condition}`;
    let sql: string;
    if (filter.limit || filter.offset) {
      // A page: the count on its own (a page past the end has no row to count), the page from a limited scan.
      params.push(filter.limit ? Math.trunc(filter.limit) : null, filter.offset ? Math.trunc(filter.offset) : 0);
      const [limit, offset] = [`$${params.length - 1}::int`, `$${params.length}::int`];
      sql = `SELECT (SELECT count(*) FROM cameras WHERE ${condition})::int AS total, ${aggregate}
               FROM (${rows} ORDER BY ${order.orderBy('sort_key')} LIMIT ${limit} OFFSET ${offset}) c`;
    } else {
      sql = `SELECT count(*)::int AS total, ${aggregate} FROM (${rows}) c`;
    }
    const [row] = await selectRows<{ total: number | string; page: string }>(this.dataSource, sql, params);
    return { rows: (JSON.parse(row.page) as ListTuple[]).map(fromListTuple), total: Number(row.total) };
  }

  /** The camera when it exists and the visibility allows it; otherwise undefined (missing and hidden look alike). */
  async findVisible(visibility: CameraVisibility, id: string): Promise<CameraRecord | undefined> {
    const where = visibleWhere(visibility);
    if (!where || !isUuid(id)) return undefined;
    where.params.push(id);
    const [row] = await selectRows<CameraRecord>(this.dataSource, `SELECT ${ALL_COLUMNS} FROM cameras WHERE ${where.sql} AND id = $${where.params.length}::uuid`, where.params);
    return row && withNumbers(row);
  }

  /** The camera, whoever asks (callers check access first). */
  async findById(id: string, tx?: Tx): Promise<CameraRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await selectRows<CameraRecord>(runnerOf(this.dataSource, tx), `SELECT ${ALL_COLUMNS} FROM cameras WHERE id = $1::uuid`, [id]);
    return row && withNumbers(row);
  }

  /** The node of each existing camera of `ids` (unknown ids are absent). */
  async placementsOf(ids: readonly string[], tx?: Tx): Promise<Array<{ id: string; jurisdictionId: string | null }>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return [];
    return selectRows(runnerOf(this.dataSource, tx), `SELECT id, "jurisdictionId" FROM cameras WHERE id = ANY($1::uuid[])`, [wanted]);
  }

  /** Every camera's node and tags: what the recording plan matches rules against. */
  placementsWithTags(): Promise<Array<{ id: string; jurisdictionId: string | null; tags: string[] }>> {
    return selectRows(this.dataSource, `SELECT id, "jurisdictionId", tags FROM cameras ORDER BY id`);
  }

  /** Existing cameras that share an ONVIF host:port, an endpoint reference or an RTSP URL with the keys. */
  async findDuplicates(keys: DuplicateKeys, tx?: Tx): Promise<CameraKeys[]> {
    if (keys.hostPorts.length + keys.endpoints.length + keys.rtspUrls.length === 0) return [];
    const hp = keys.hostPorts.map((k) => `${k.host.toLowerCase()}:${k.port}`);
    return selectRows(
      runnerOf(this.dataSource, tx),
      `SELECT id, "jurisdictionId", "onvifHost", "onvifPort", "endpointReference", "rtspUrl" FROM cameras
        WHERE (lower("onvifHost") || ':' || "onvifPort") = ANY($1::text[])
           OR "endpointReference" = ANY($2::text[])
           OR "rtspUrl" = ANY($3::text[])`,
      [hp, [...keys.endpoints], [...keys.rtspUrls]],
    );
  }

  /** Ids of cameras with these endpoint references or host:port pairs (for sweep findings). */
  async idsByEndpointOrHost(
    endpoints: readonly string[],
    hostPorts: readonly string[],
  ): Promise<{ id: string; name: string; endpointReference: string | null; hostPort: string | null; device: CameraDeviceInfo | null }[]> {
    if (endpoints.length + hostPorts.length === 0) return [];
    return selectRows(
      this.dataSource,
      `SELECT id, name, "endpointReference", lower("onvifHost") || ':' || "onvifPort" AS "hostPort", device FROM cameras
        WHERE "endpointReference" = ANY($1::text[]) OR (lower("onvifHost") || ':' || "onvifPort") = ANY($2::text[])`,
      [[...endpoints], hostPorts.map((h) => h.toLowerCase())],
    );
  }

  /** Cameras the visibility allows that have a position. */
  async visiblePositions(visibility: CameraVisibility): Promise<{ id: string; lat: number; lon: number }[]> {
    const where = visibleWhere(visibility);
    if (!where) return [];
    const rows = await selectRows<{ id: string; lat: number; lon: number }>(
      this.dataSource,
      `SELECT id, lat, lon FROM cameras WHERE lat IS NOT NULL AND lon IS NOT NULL AND ${where.sql}`,
      where.params,
    );
    return rows.map((r) => ({ id: r.id, lat: Number(r.lat), lon: Number(r.lon) }));
  }

  /** Short summaries of the given cameras, in the order of `ids` (unknown ids are skipped). */
  async briefs(ids: readonly string[]): Promise<CameraBrief[]> {
    if (ids.length === 0) return [];
    const rows = await selectRows<{ id: string; name: string; jurisdictionId: string | null; lat: number | null; lon: number | null; status: string }>(
      this.dataSource,
      `SELECT id, name, "jurisdictionId", lat, lon, status FROM cameras WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const location = r.lat === null || r.lon === null ? null : { lat: Number(r.lat), lon: Number(r.lon) };
      return [{ id: r.id, name: r.name, jurisdictionId: r.jurisdictionId, location, status: r.status }];
    });
  }

  /** Whether there is any camera at all. */
  async any(): Promise<boolean> {
    return (await selectRows(this.dataSource, `SELECT 1 FROM cameras LIMIT 1`)).length > 0;
  }

  /** Inserts rows in batches (inside `tx` when given: all or none); returns the new ids in order. */
  async insertMany(rows: readonly NewCamera[], tx?: Tx): Promise<string[]> {
    const runner = runnerOf(this.dataSource, tx);
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const params: unknown[] = [];
      const tuples = rows.slice(i, i + INSERT_BATCH).map((row) => {
        const cells = INSERT_COLUMNS.map((column) => {
          const value = row[column];
          params.push(JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value);
          return `$${params.length}`;
        });
        return `(${cells.join(', ')})`;
      });
      const inserted = await selectRows<{ id: string }>(
        runner,
        `INSERT INTO cameras (${INSERT_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} RETURNING id`,
        params,
      );
      ids.push(...inserted.map((r) => String(r.id)));
    }
    return ids;
  }

  async update(id: string, patch: CameraPatch): Promise<void> {
    const params: unknown[] = [id];
    const sets = PATCH_COLUMNS.filter((c) => patch[c] !== undefined).map((c) => {
      params.push(patch[c]);
      return `"${c}" = $${params.length}`;
    });
    if (sets.length === 0) return;
    await writeRows(this.dataSource, `UPDATE cameras SET ${sets.join(', ')}, "updatedAt" = now() WHERE id = $1::uuid`, params);
  }

  /** Deletes the camera; false when there was none. */
  async delete(id: string): Promise<boolean> {
    return (await writeRows(this.dataSource, `DELETE FROM cameras WHERE id = $1::uuid`, [id])).affected > 0;
  }

  /** Check targets: one camera, the given ones (only those never checked with `uncheckedOnly`), or all, by id. */
  checkTargets(which: { ids: readonly string[]; uncheckedOnly?: boolean } | 'all'): Promise<CameraCheckTarget[]> {
    if (which === 'all') return selectRows(this.dataSource, `SELECT ${CHECK_COLUMNS} FROM cameras ORDER BY id`);
    return selectRows(
      this.dataSource,
      `SELECT ${CHECK_COLUMNS} FROM cameras WHERE id = ANY($1::uuid[])${which.uncheckedOnly ? ` AND "statusCheckedAt" IS NULL` : ''} ORDER BY id`,
      [[...which.ids]],
    );
  }

  /** The stored status of a camera, or undefined when there is none. */
  async statusOf(id: string): Promise<{ status: string; statusReason: string | null } | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await selectRows<{ status: string; statusReason: string | null }>(this.dataSource, `SELECT status, "statusReason" FROM cameras WHERE id = $1::uuid`, [id]);
    return row;
  }

  /**
   * Writes a status (after an onboarding also profiles, device information and snapshot URI) under a row
   * lock; answers the status it replaced, or undefined when the camera does not exist (any more).
   */
  async recordStatus(id: string, r: CameraStatusRecord): Promise<{ previous: string } | undefined> {
    const p = r.probed;
    const { rows } = await writeRows<{ old: string }>(
      this.dataSource,
      `UPDATE cameras c SET status = $2::varchar, "statusReason" = $3::text,
              "statusCheckedAt" = CASE WHEN $5::boolean THEN c."statusCheckedAt" ELSE $4::timestamptz END,
              "lastSeenAt" = CASE WHEN $2::varchar = 'online' THEN $4::timestamptz ELSE c."lastSeenAt" END,
              profiles = COALESCE($6::jsonb, c.profiles),
              device = COALESCE($7::jsonb, c.device),
              "snapshotUri" = CASE WHEN $6::jsonb IS NULL THEN c."snapshotUri" ELSE $8::text END
         FROM (SELECT id, status AS old FROM cameras WHERE id = $1 FOR UPDATE) o
        WHERE c.id = o.id RETURNING o.old`,
      [id, r.status, r.reason, r.at, r.seenOnly === true, p ? JSON.stringify(p.profiles) : null, p ? JSON.stringify(p.device) : null, p?.snapshotUri ?? null],
    );
    return rows[0] ? { previous: rows[0].old } : undefined;
  }
}

/** The visibility as a WHERE condition with its parameters ($1, $2, …); undefined when it sees nothing. */
function visibleWhere(v: CameraVisibility): { sql: string; params: unknown[] } | undefined {
  if (v.all) return { sql: 'TRUE', params: [] };
  // Only the branches that can match: most callers have no granted camera, and an empty OR branch still costs a probe.
  const params: unknown[] = [];
  const branches: string[] = [];
  if (v.jurisdictionIds.size > 0) branches.push(`"jurisdictionId" = ANY($${params.push([...v.jurisdictionIds])}::uuid[])`);
  if (v.cameraIds.size > 0) branches.push(`id = ANY($${params.push([...v.cameraIds])}::uuid[])`);
  return branches.length === 0 ? undefined : { sql: `(${branches.join(' OR ')})`, params };
}

function fromListTuple(t: ListTuple): CameraListRecord {
  return {
    id: t[0],
    name: t[1],
    jurisdictionId: t[2],
    jurisdictionPinned: t[3],
    lat: t[4],
    lon: t[5],
    tags: t[6] ?? [],
    onvifHost: t[7],
    status: t[8],
    statusReason: t[9],
    lastSeenAt: t[10] === null ? null : new Date(t[10]),
    statusCheckedAt: t[11] === null ? null : new Date(t[11]),
    createdAt: new Date(t[12]),
    updatedAt: new Date(t[13]),
  };
}

/** float8 and int columns as numbers, whatever the driver's type parsers did. */
function withNumbers<T extends { lat: number | null; lon: number | null; onvifPort?: number | null }>(r: T): T {
  return {
    ...r,
    lat: r.lat === null ? null : Number(r.lat),
    lon: r.lon === null ? null : Number(r.lon),
    ...(r.onvifPort === undefined ? {} : { onvifPort: r.onvifPort === null ? null : Number(r.onvifPort) }),
  };
}
