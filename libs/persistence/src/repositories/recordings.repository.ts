import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, Tx } from '../transactor';
import { selectRows, writeRows } from '../sql-runner';

/** A recording rule (docs/recording.md, "Rules"). */
export interface RecordingRuleRecord {
  id: string;
  name: string;
  targetType: 'camera' | 'tag' | 'jurisdiction';
  /** A camera id, a tag, or a jurisdiction id, by `targetType`. */
  targetValue: string;
  mode: 'continuous' | 'buffer';
  bufferMinutes: number | null;
  profile: 'main' | 'sub';
  retentionDays: number;
  /** The node that owns the rule: its subtree bounds what the rule may match. */
  jurisdictionId: string;
  enabled: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewRecordingRule = Omit<RecordingRuleRecord, 'id' | 'createdAt' | 'updatedAt'>;
export type RecordingRulePatch = Partial<Omit<NewRecordingRule, 'createdBy'>>;

/** An investigation hold: the camera's segments overlapping [from, to) are kept from retention and quota. */
export interface RecordingHoldRecord {
  id: string;
  cameraId: string;
  from: Date;
  to: Date;
  reason: string;
  createdBy: string | null;
  createdAt: Date;
}

/** One recorded file, as indexed by the worker that holds it. */
export interface RecordingSegmentRecord {
  /** A bigint as text. */
  id: string;
  cameraId: string;
  profile: 'main' | 'sub';
  workerId: string;
  rootId: string;
  /** Relative to the storage root. */
  path: string;
  initPath: string;
  startAt: Date;
  endAt: Date;
  bytes: number;
  keepUntil: Date;
}

export type NewRecordingSegment = Omit<RecordingSegmentRecord, 'id'>;

export interface RecordingExportRecord {
  id: string;
  cameraId: string;
  profile: 'main' | 'sub';
  from: Date;
  to: Date;
  reason: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** 0..1 */
  progress: number;
  workerId: string | null;
  path: string | null;
  sha256: string | null;
  bytes: number | null;
  failure: string | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export type NewRecordingExport = Pick<RecordingExportRecord, 'cameraId' | 'profile' | 'from' | 'to' | 'reason' | 'createdBy' | 'workerId'>;
export type RecordingExportPatch = Partial<Pick<RecordingExportRecord, 'state' | 'progress' | 'path' | 'sha256' | 'bytes' | 'failure' | 'finishedAt' | 'workerId'>>;

/**
 * The longest segment the index expects (a segment ends at the first keyframe after `segmentSeconds`): the
 * range queries look this far before `from` for a segment that began earlier and still overlaps, so they stay
 * a range scan of the (camera, profile, start) index.
 */
export const MAX_SEGMENT_MS = 60 * 60_000;
/** Under a hold, a camera's segments ending within this span before its newest segment's end are never pruned by quota. */
export const HELD_NEWEST_SPAN_MS = 60 * 60_000;

const RULE_COLUMNS = `id, name, "targetType", "targetValue", mode, "bufferMinutes", profile, "retentionDays", "jurisdictionId", enabled, "createdBy", "createdAt", "updatedAt"`;
const HOLD_COLUMNS = `id, "cameraId", "from", "to", reason, "createdBy", "createdAt"`;
const segmentColumns = (t = '') =>
  `${t}id::text AS id, ${t}"cameraId", ${t}profile, ${t}"workerId", ${t}"rootId", ${t}path, ${t}"initPath", ${t}"startAt", ${t}"endAt", ${t}bytes::float8 AS bytes, ${t}"keepUntil"`;
const EXPORT_COLUMNS = `id, "cameraId", profile, "from", "to", reason, state, progress, "workerId", path, sha256, bytes::float8 AS bytes, failure, "createdBy", "createdAt", "finishedAt"`;

/** True when a hold of segment `s`'s camera overlaps it (both half-open). */
const HELD = `EXISTS (SELECT 1 FROM recording_holds h WHERE h."cameraId" = s."cameraId" AND h."from" < s."endAt" AND h."to" > s."startAt")`;

/** Columns a rule patch may set, by field. */
const RULE_PATCH_COLUMNS: Record<keyof RecordingRulePatch, string> = {
  name: 'name',
  targetType: '"targetType"',
  targetValue: '"targetValue"',
  mode: 'mode',
  bufferMinutes: '"bufferMinutes"',
  profile: 'profile',
  retentionDays: '"retentionDays"',
  jurisdictionId: '"jurisdictionId"',
  enabled: 'enabled',
};
const EXPORT_PATCH_COLUMNS: Record<keyof RecordingExportPatch, string> = {
  state: 'state',
  progress: 'progress',
  path: 'path',
  sha256: 'sha256',
  bytes: 'bytes',
  failure: 'failure',
  finishedAt: '"finishedAt"',
  workerId: '"workerId"',
};

/**
 * The only SQL for the recording tables: `recording_rules` and `recording_holds` (written through the gateway),
 * `recording_segments` (written by the recording workers) and `recording_exports`. docs/recording.md states the
 * rules the pruning queries implement.
 */
@Injectable()
export class RecordingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- rules

  async createRule(r: NewRecordingRule, tx?: Tx): Promise<RecordingRuleRecord> {
    const [row] = await selectRows<RecordingRuleRecord>(
      runnerOf(this.dataSource, tx),
      `INSERT INTO recording_rules (name, "targetType", "targetValue", "cameraId", mode, "bufferMinutes", profile, "retentionDays", "jurisdictionId", enabled, "createdBy")
       VALUES ($1, $2, $3, CASE WHEN $2::varchar = 'camera' THEN $3::varchar::uuid END, $4, $5, $6, $7, $8, $9, $10) RETURNING ${RULE_COLUMNS}`,
      [r.name, r.targetType, r.targetValue, r.mode, r.bufferMinutes, r.profile, r.retentionDays, r.jurisdictionId, r.enabled, r.createdBy],
    );
    return row;
  }

  /** The rules owned by these nodes (every rule when undefined), oldest first. */
  listRules(jurisdictionIds?: readonly string[]): Promise<RecordingRuleRecord[]> {
    if (jurisdictionIds === undefined) return selectRows(this.dataSource, `SELECT ${RULE_COLUMNS} FROM recording_rules ORDER BY "createdAt", id`);
    if (jurisdictionIds.length === 0) return Promise.resolve([]);
    return selectRows(this.dataSource, `SELECT ${RULE_COLUMNS} FROM recording_rules WHERE "jurisdictionId" = ANY($1::uuid[]) ORDER BY "createdAt", id`, [jurisdictionIds]);
  }

  async getRule(id: string): Promise<RecordingRuleRecord | undefined> {
    const [row] = await selectRows<RecordingRuleRecord>(this.dataSource, `SELECT ${RULE_COLUMNS} FROM recording_rules WHERE id = $1::uuid`, [id]);
    return row;
  }

  /** Changes the given fields (a camera rule's `cameraId` follows its target); undefined when the rule is gone. */
  async updateRule(id: string, patch: RecordingRulePatch, tx?: Tx): Promise<RecordingRuleRecord | undefined> {
    const params: unknown[] = [id];
    const sets: string[] = [];
    const placeholder: Partial<Record<keyof RecordingRulePatch, string>> = {};
    for (const [field, column] of Object.entries(RULE_PATCH_COLUMNS) as [keyof RecordingRulePatch, string][]) {
      if (patch[field] === undefined) continue;
      params.push(patch[field]);
      placeholder[field] = `$${params.length}::varchar`;
      sets.push(`${column} = $${params.length}`);
    }
    const type = placeholder.targetType ?? `"targetType"`;
    const value = placeholder.targetValue ?? `"targetValue"`;
    sets.push(`"cameraId" = CASE WHEN ${type} = 'camera' THEN (${value})::uuid END`, `"updatedAt" = now()`);
    const { rows } = await writeRows<RecordingRuleRecord>(
      runnerOf(this.dataSource, tx),
      `WITH changed AS (UPDATE recording_rules SET ${sets.join(', ')} WHERE id = $1::uuid RETURNING ${RULE_COLUMNS}) SELECT * FROM changed`,
      params,
    );
    return rows[0];
  }

  async deleteRule(id: string, tx?: Tx): Promise<boolean> {
    const { affected } = await writeRows(runnerOf(this.dataSource, tx), `DELETE FROM recording_rules WHERE id = $1::uuid`, [id]);
    return affected > 0;
  }

  // ---- holds

  async createHold(h: Omit<RecordingHoldRecord, 'id' | 'createdAt'>, tx?: Tx): Promise<RecordingHoldRecord> {
    const [row] = await selectRows<RecordingHoldRecord>(
      runnerOf(this.dataSource, tx),
      `INSERT INTO recording_holds ("cameraId", "from", "to", reason, "createdBy") VALUES ($1, $2, $3, $4, $5) RETURNING ${HOLD_COLUMNS}`,
      [h.cameraId, h.from, h.to, h.reason, h.createdBy],
    );
    return row;
  }

  /** The holds of these cameras (every hold when `cameraIds` is undefined), by camera and start. */
  listHolds(filter: { cameraIds?: readonly string[] }): Promise<RecordingHoldRecord[]> {
    if (filter.cameraIds === undefined) return selectRows(this.dataSource, `SELECT ${HOLD_COLUMNS} FROM recording_holds ORDER BY "cameraId", "from", id`);
    if (filter.cameraIds.length === 0) return Promise.resolve([]);
    return selectRows(this.dataSource, `SELECT ${HOLD_COLUMNS} FROM recording_holds WHERE "cameraId" = ANY($1::uuid[]) ORDER BY "cameraId", "from", id`, [filter.cameraIds]);
  }

  async getHold(id: string): Promise<RecordingHoldRecord | undefined> {
    const [row] = await selectRows<RecordingHoldRecord>(this.dataSource, `SELECT ${HOLD_COLUMNS} FROM recording_holds WHERE id = $1::uuid`, [id]);
    return row;
  }

  async deleteHold(id: string, tx?: Tx): Promise<boolean> {
    const { affected } = await writeRows(runnerOf(this.dataSource, tx), `DELETE FROM recording_holds WHERE id = $1::uuid`, [id]);
    return affected > 0;
  }

  // ---- segments (written by the worker that holds the files)

  /** Indexes a segment written and renamed on disk; answers its id. */
  async insertSegment(s: NewRecordingSegment): Promise<string> {
    const [row] = await selectRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO recording_segments ("cameraId", profile, "workerId", "rootId", path, "initPath", "startAt", "endAt", bytes, "keepUntil")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id::text AS id`,
      [s.cameraId, s.profile, s.workerId, s.rootId, s.path, s.initPath, s.startAt, s.endAt, Math.round(s.bytes), s.keepUntil],
    );
    return row.id;
  }

  /** The stream's segments overlapping [from, to) (startAt < to and endAt > from), by start. */
  segmentsOf(cameraId: string, profile: string, from: Date, to: Date): Promise<RecordingSegmentRecord[]> {
    return selectRows(
      this.dataSource,
      `SELECT ${segmentColumns()} FROM recording_segments
       WHERE "cameraId" = $1::uuid AND profile = $2 AND "startAt" < $4 AND "startAt" > $3::timestamptz - $5::int * interval '1 millisecond' AND "endAt" > $3
       ORDER BY "startAt", id`,
      [cameraId, profile, from, to, MAX_SEGMENT_MS],
    );
  }

  async segmentById(id: string): Promise<RecordingSegmentRecord | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const [row] = await selectRows<RecordingSegmentRecord>(this.dataSource, `SELECT ${segmentColumns()} FROM recording_segments WHERE id = $1::bigint`, [id]);
    return row;
  }

  /**
   * One page of a root's rows by (startAt, id), for the worker's crash scan: after `after` (and, at that same
   * start, after `afterId`: pass the last row's start and id to page without skipping rows of equal start).
   */
  segmentsOfRoot(workerId: string, rootId: string, options: { after?: Date; afterId?: string; limit: number }): Promise<RecordingSegmentRecord[]> {
    const params: unknown[] = [workerId, rootId, options.limit];
    let after = '';
    if (options.after && options.afterId !== undefined) {
      params.push(options.after, options.afterId);
      after = `AND ("startAt", id) > ($4::timestamptz, $5::bigint)`;
    } else if (options.after) {
      params.push(options.after);
      after = `AND "startAt" > $4`;
    }
    return selectRows(
      this.dataSource,
      `SELECT ${segmentColumns()} FROM recording_segments WHERE "workerId" = $1 AND "rootId" = $2 ${after} ORDER BY "startAt", id LIMIT $3`,
      params,
    );
  }

  /** Retention: the root's segments whose keepUntil < now and that no hold of their camera overlaps, soonest expired first. */
  expiredSegments(workerId: string, rootId: string, now: Date, limit: number): Promise<RecordingSegmentRecord[]> {
    return selectRows(
      this.dataSource,
      `SELECT ${segmentColumns('s.')} FROM recording_segments s
       WHERE s."workerId" = $1 AND s."rootId" = $2 AND s."keepUntil" < $3 AND NOT ${HELD}
       ORDER BY s."keepUntil", s.id LIMIT $4`,
      [workerId, rootId, now, limit],
    );
  }

  /**
   * Quota: the root's oldest segments (by start) that may go: no hold of their camera overlaps them, and, for a
   * camera with any hold, they do not end within HELD_NEWEST_SPAN_MS before the end of that stream's newest
   * segment (its newest hour, whatever root holds it).
   */
  oldestPrunable(workerId: string, rootId: string, limit: number): Promise<RecordingSegmentRecord[]> {
    return selectRows(
      this.dataSource,
      `SELECT ${segmentColumns('s.')} FROM recording_segments s
       WHERE s."workerId" = $1 AND s."rootId" = $2 AND NOT ${HELD}
         AND NOT (EXISTS (SELECT 1 FROM recording_holds h WHERE h."cameraId" = s."cameraId")
                  AND s."endAt" > (SELECT n."endAt" FROM recording_segments n WHERE n."cameraId" = s."cameraId" AND n.profile = s.profile ORDER BY n."startAt" DESC LIMIT 1)
                                  - $4::int * interval '1 millisecond')
       ORDER BY s."startAt", s.id LIMIT $3`,
      [workerId, rootId, limit, HELD_NEWEST_SPAN_MS],
    );
  }

  async deleteSegments(ids: readonly string[]): Promise<void> {
    const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
    if (valid.length === 0) return;
    await writeRows(this.dataSource, `DELETE FROM recording_segments WHERE id = ANY($1::bigint[])`, [valid]);
  }

  /** Bytes and segments the index holds for a root (a full count: call it at start, then keep the sum). */
  async rootUsage(workerId: string, rootId: string): Promise<{ bytes: number; segments: number }> {
    const [row] = await selectRows<{ bytes: number; segments: number }>(
      this.dataSource,
      `SELECT COALESCE(sum(bytes), 0)::float8 AS bytes, count(*)::int AS segments FROM recording_segments WHERE "workerId" = $1 AND "rootId" = $2`,
      [workerId, rootId],
    );
    return row;
  }

  // ---- exports

  async createExport(e: NewRecordingExport): Promise<RecordingExportRecord> {
    const [row] = await selectRows<RecordingExportRecord>(
      this.dataSource,
      `INSERT INTO recording_exports ("cameraId", profile, "from", "to", reason, "createdBy", "workerId") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${EXPORT_COLUMNS}`,
      [e.cameraId, e.profile, e.from, e.to, e.reason, e.createdBy, e.workerId],
    );
    return row;
  }

  async getExport(id: string): Promise<RecordingExportRecord | undefined> {
    const [row] = await selectRows<RecordingExportRecord>(this.dataSource, `SELECT ${EXPORT_COLUMNS} FROM recording_exports WHERE id = $1::uuid`, [id]);
    return row;
  }

  /**
   * A worker's start-up (docs/recording.md, "Evidence export"): every export it had taken and not finished
   * (`queued` or `running` with its id) becomes `failed` with `failure`; answers their ids. Only that worker
   * calls it, before it takes new jobs, so no job of its own is running.
   */
  async failUnfinishedExports(workerId: string, failure: string, at: Date): Promise<string[]> {
    const { rows } = await writeRows<{ id: string }>(
      this.dataSource,
      `WITH failed AS (UPDATE recording_exports SET state = 'failed', failure = $2, "finishedAt" = $3
         WHERE "workerId" = $1 AND state IN ('queued', 'running') RETURNING id) SELECT id::text AS id FROM failed`,
      [workerId, failure, at],
    );
    return rows.map((r) => r.id);
  }

  /** Removes an export's row (its file is the worker's to delete first); false when it was gone. */
  async deleteExport(id: string, tx?: Tx): Promise<boolean> {
    const { affected } = await writeRows(runnerOf(this.dataSource, tx), `DELETE FROM recording_exports WHERE id = $1::uuid`, [id]);
    return affected > 0;
  }

  async updateExport(id: string, patch: RecordingExportPatch): Promise<void> {
    const params: unknown[] = [id];
    const sets: string[] = [];
    for (const [field, column] of Object.entries(EXPORT_PATCH_COLUMNS) as [keyof RecordingExportPatch, string][]) {
      if (patch[field] === undefined) continue;
      params.push(field === 'bytes' && patch.bytes !== null ? Math.round(patch.bytes!) : patch[field]);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return;
    await writeRows(this.dataSource, `UPDATE recording_exports SET ${sets.join(', ')} WHERE id = $1::uuid`, params);
  }
}
