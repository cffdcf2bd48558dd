import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { selectRows, writeRows } from '../sql-runner';

export interface ViewSessionRecord {
  id: string;
  userId: string;
  cameraId: string;
  profile: string;
  startedAt: Date;
  endedAt: Date;
}

/** The only SQL for `view_sessions` (live-viewing record, docs/methods.md "Real-time monitoring rate"). */
@Injectable()
export class ViewSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A live request at `at` with a token valid until `until`: extends the viewer's session on this camera and
   * profile that is still open at `at` (its `endedAt` ≥ `at`) to `until`, else starts a new one [at, until].
   * Answers whether it extended one.
   */
  async extendOrStart(viewer: { userId: string; cameraId: string; profile: string }, at: Date, until: Date): Promise<'extended' | 'started'> {
    const extended = await writeRows(
      this.dataSource,
      `UPDATE view_sessions SET "endedAt" = greatest("endedAt", $4::timestamptz)
        WHERE id = (SELECT id FROM view_sessions WHERE "userId" = $1 AND "cameraId" = $2 AND profile = $3 AND "endedAt" >= $5::timestamptz AND "startedAt" <= $5::timestamptz
                     ORDER BY "endedAt" DESC LIMIT 1)`,
      [viewer.userId, viewer.cameraId, viewer.profile, until.toISOString(), at.toISOString()],
    );
    if (extended.affected > 0) return 'extended';
    await this.insert({ ...viewer, startedAt: at, endedAt: until });
    return 'started';
  }

  /** Stores one session as given (scripted sessions in tests and benches, imports of another system's record). */
  async insert(session: Omit<ViewSessionRecord, 'id'>): Promise<string> {
    const rows = await selectRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO view_sessions ("userId", "cameraId", profile, "startedAt", "endedAt") VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [session.userId, session.cameraId, session.profile, session.startedAt.toISOString(), session.endedAt.toISOString()],
    );
    return rows[0].id;
  }

  /**
   * The intervals (epoch ms) of every session overlapping [from, to), for the cameras given (all cameras when
   * undefined). Sent back as one text value, "cameraId startMs endMs …" (a year of a whole district is tens of
   * thousands of sessions: one row each cost more to send and decode than the query itself).
   */
  async overlapping(from: Date, to: Date, cameraIds?: readonly string[]): Promise<{ cameraId: string; startedAt: number; endedAt: number }[]> {
    if (cameraIds !== undefined && cameraIds.length === 0) return [];
    const params: unknown[] = [from.toISOString(), to.toISOString()];
    let filter = '';
    if (cameraIds !== undefined) {
      params.push([...cameraIds]);
      filter = ` AND "cameraId" = ANY($3::uuid[])`;
    }
    const rows = await selectRows<{ s: string | null }>(
      this.dataSource,
      `SELECT string_agg("cameraId"::text || ' ' || (extract(epoch FROM "startedAt") * 1000)::float8::text || ' ' || (extract(epoch FROM "endedAt") * 1000)::float8::text, ' ') AS s
         FROM view_sessions WHERE "startedAt" < $2 AND "endedAt" > $1${filter}`,
      params,
    );
    const text = rows[0]?.s;
    if (!text) return [];
    const parts = text.split(' ');
    const out = new Array<{ cameraId: string; startedAt: number; endedAt: number }>(parts.length / 3);
    for (let k = 0; k < out.length; k++) out[k] = { cameraId: parts[3 * k], startedAt: Math.round(Number(parts[3 * k + 1])), endedAt: Math.round(Number(parts[3 * k + 2])) };
    return out;
  }

  async ofCamera(cameraId: string): Promise<ViewSessionRecord[]> {
    const rows = await selectRows<ViewSessionRecord>(this.dataSource, `SELECT id, "userId", "cameraId", profile, "startedAt", "endedAt" FROM view_sessions WHERE "cameraId" = $1 ORDER BY "startedAt", id`, [cameraId]);
    return rows.map((r) => ({ ...r, startedAt: new Date(r.startedAt), endedAt: new Date(r.endedAt) }));
  }
}
