import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { acknowledgeEndsAlarm, ALARM_KINDS, decideAlarm, isUuid, type AlarmKind, type CameraEventKind } from '@tiergate/domain';
import { selectRows, writeRows } from '../sql-runner';

export type AlarmChange = 'created' | 'repeated' | 'ended' | 'acknowledged';

export interface CameraAlarmRecord {
  id: string;
  cameraId: string;
  /** The camera's name and node now (read with the alarm). */
  cameraName: string;
  jurisdictionId: string | null;
  kind: AlarmKind;
  state: 'new' | 'acknowledged';
  active: boolean;
  startedAt: Date;
  lastEventAt: Date;
  endedAt: Date | null;
  eventCount: number;
  topic: string;
  cameraTime: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  note: string | null;
  /** kind `patrol`: the round and stop marked abnormal, the officer's note and username; else null. */
  roundId: string | null;
  stopIndex: number | null;
  markNote: string | null;
  markedByName: string | null;
}

/** An abnormal patrol mark whose officer asked for an alarm (kind `patrol`). */
export interface PatrolAlarmRecord {
  cameraId: string;
  roundId: string;
  stopIndex: number;
  note: string | null;
  markedByName: string;
  at: Date;
}

export interface CameraEventRecord {
  eventId: string;
  cameraId: string;
  kind: CameraEventKind;
  state: boolean;
  at: Date;
  topic: string;
  cameraTime: Date | null;
}

/** Which alarms a list answers, newest first; the scope as sets (`all`, or nodes and granted cameras). */
export interface AlarmFilter {
  scope: { all: boolean; jurisdictionIds: readonly string[]; cameraIds: readonly string[] };
  state?: 'new' | 'acknowledged';
  cameraId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

const COLUMNS = `a.id, a."cameraId", c.name AS "cameraName", c."jurisdictionId", a.kind, a.state, a.active, a."startedAt", a."lastEventAt", a."endedAt", a."eventCount",
  a.topic, a."cameraTime", a."acknowledgedAt", a."acknowledgedBy", a."acknowledgedByName", a.note,
  a."roundId", a."stopIndex", a."markNote", a."markedByName"`;
const FROM = `camera_alarms a JOIN cameras c ON c.id = a."cameraId"`;

const normal = (r: CameraAlarmRecord): CameraAlarmRecord => ({ ...r, eventCount: Number(r.eventCount), stopIndex: r.stopIndex === null ? null : Number(r.stopIndex) });
/** The kinds an acknowledgement also ends (no end event of their own). */
const ENDED_BY_ACK = ALARM_KINDS.filter(acknowledgeEndsAlarm);

/** The only SQL for `camera_alarms` (docs/alarms.md). */
@Injectable()
export class CameraAlarmsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records one camera event by the alarm rule (`decideAlarm`): a new alarm, a repeat folded into the latest one,
   * its end, or nothing (a message seen before, an end with nothing active, a camera deleted meanwhile). One
   * camera and kind at a time (a transaction-scoped advisory lock): two gateways handling the same message, or
   * two messages at once, cannot both create.
   */
  async record(e: CameraEventRecord, windowMs: number): Promise<{ change: Exclude<AlarmChange, 'acknowledged'>; alarm: CameraAlarmRecord } | undefined> {
    if (!isUuid(e.cameraId) || !isUuid(e.eventId)) return undefined;
    const id = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`camera_alarms:${e.cameraId}:${e.kind}`]);
      const [latest] = await selectRows<{ id: string; state: string; active: boolean; lastEventAt: Date; lastEventId: string; firstEventId: string }>(
        m,
        `SELECT id, state, active, "lastEventAt", "lastEventId", "firstEventId" FROM camera_alarms WHERE "cameraId" = $1 AND kind = $2 ORDER BY "startedAt" DESC, id DESC LIMIT 1`,
        [e.cameraId, e.kind],
      );
      const decision = decideAlarm(
        latest && { acknowledged: latest.state === 'acknowledged', active: latest.active, lastEventAtMs: new Date(latest.lastEventAt).getTime(), lastEventId: latest.lastEventId, firstEventId: latest.firstEventId },
        { eventId: e.eventId, state: e.state, atMs: e.at.getTime() },
        windowMs,
      );
      if (decision.action === 'none') return undefined;
      if (decision.action === 'create') {
        const rows = await selectRows<{ id: string }>(
          m,
          `INSERT INTO camera_alarms ("cameraId", kind, state, active, "startedAt", "lastEventAt", "eventCount", "firstEventId", "lastEventId", topic, "cameraTime")
           SELECT $1, $2, 'new', true, $3, $3, 1, $4, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM cameras WHERE id = $1)
           ON CONFLICT ("firstEventId") DO NOTHING RETURNING id`,
          [e.cameraId, e.kind, e.at, e.eventId, e.topic.slice(0, 128), e.cameraTime],
        );
        return rows[0] && { id: rows[0].id, change: 'created' as const };
      }
      if (decision.action === 'repeat') {
        await writeRows(m, `UPDATE camera_alarms SET "eventCount" = "eventCount" + 1, "lastEventAt" = $2, "lastEventId" = $3, active = true, "endedAt" = NULL WHERE id = $1`, [latest!.id, e.at, e.eventId]);
        return { id: latest!.id, change: 'repeated' as const };
      }
      await writeRows(m, `UPDATE camera_alarms SET active = false, "endedAt" = $2, "lastEventId" = $3 WHERE id = $1`, [latest!.id, e.at, e.eventId]);
      return { id: latest!.id, change: 'ended' as const };
    });
    if (!id) return undefined;
    const alarm = await this.byId(id.id);
    return alarm && { change: id.change, alarm };
  }

  /**
   * A patrol alarm: always a new row (never folded, no advisory lock needed: nothing is read first), active until
   * acknowledged. Undefined when the camera is gone.
   */
  async raisePatrol(a: PatrolAlarmRecord): Promise<CameraAlarmRecord | undefined> {
    if (!isUuid(a.cameraId) || !isUuid(a.roundId)) return undefined;
    const rows = await selectRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO camera_alarms ("cameraId", kind, state, active, "startedAt", "lastEventAt", "eventCount", "firstEventId", "lastEventId", topic, "roundId", "stopIndex", "markNote", "markedByName")
       SELECT $1, 'patrol', 'new', true, $2, $2, 1, e.id, e.id, 'patrol/abnormal-mark', $3, $4, $5, $6 FROM (SELECT gen_random_uuid() AS id) e
       WHERE EXISTS (SELECT 1 FROM cameras WHERE id = $1) RETURNING id`,
      [a.cameraId, a.at, a.roundId, a.stopIndex, a.note?.slice(0, 2000) ?? null, a.markedByName.slice(0, 64)],
    );
    return rows[0] && this.byId(rows[0].id);
  }

  async byId(id: string): Promise<CameraAlarmRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await selectRows<CameraAlarmRecord>(this.dataSource, `SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1`, [id]);
    return row && normal(row);
  }

  /** Acknowledges a new alarm (a patrol alarm also ends: `acknowledgeEndsAlarm`); undefined when it is not there or already acknowledged (the first one wins). */
  async acknowledge(id: string, by: { userId: string; username: string }, note: string | null, at: Date): Promise<CameraAlarmRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const { affected } = await writeRows(
      this.dataSource,
      `UPDATE camera_alarms SET state = 'acknowledged', "acknowledgedAt" = $2, "acknowledgedBy" = $3, "acknowledgedByName" = $4, note = $5,
         active = CASE WHEN kind = ANY($6::varchar[]) THEN false ELSE active END, "endedAt" = CASE WHEN kind = ANY($6::varchar[]) AND active THEN $2 ELSE "endedAt" END
       WHERE id = $1 AND state = 'new'`,
      [id, at, isUuid(by.userId) ? by.userId : null, by.username.slice(0, 64), note, ENDED_BY_ACK],
    );
    return affected === 0 ? undefined : this.byId(id);
  }

  /** A page of alarms in the scope, newest first, and how many match in all. */
  async list(f: AlarmFilter): Promise<{ items: CameraAlarmRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown): string => (params.push(v), `$${params.length}`);
    if (!f.scope.all) where.push(`(c."jurisdictionId" = ANY(${p([...f.scope.jurisdictionIds])}::uuid[]) OR a."cameraId" = ANY(${p([...f.scope.cameraIds])}::uuid[]))`);
    if (f.state) where.push(`a.state = ${p(f.state)}`);
    if (f.cameraId) where.push(`a."cameraId" = ${p(f.cameraId)}`);
    if (f.from) where.push(`a."startedAt" >= ${p(f.from)}`);
    if (f.to) where.push(`a."startedAt" < ${p(f.to)}`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await selectRows<{ total: string }>(this.dataSource, `SELECT count(*) AS total FROM ${FROM} ${clause}`, params);
    const rows = await selectRows<CameraAlarmRecord>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM ${FROM} ${clause} ORDER BY a."startedAt" DESC, a.id DESC LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      params,
    );
    return { items: rows.map(normal), total: Number(total) };
  }
}
