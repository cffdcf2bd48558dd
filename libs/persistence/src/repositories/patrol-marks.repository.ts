import { Injectable } from '@nestjs/common';
import type { MarkResult } from '@tiergate/domain';
import { DataSource } from 'typeorm';
import { selectRows } from '../sql-runner';

export interface PatrolMarkRecord {
  id: string;
  roundId: string;
  stopIndex: number;
  cameraId: string;
  result: MarkResult;
  note: string | null;
  snapshotUrl: string | null;
  markedBy: string | null;
  markedByName: string;
  markedAt: Date;
}

export type NewPatrolMark = Omit<PatrolMarkRecord, 'id'>;

const COLUMNS = `id, "roundId", "stopIndex", "cameraId", result, note, "snapshotUrl", "markedBy", "markedByName", "markedAt"`;

/** The only SQL for `patrol_marks`. */
@Injectable()
export class PatrolMarksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the mark; marking the same camera of the same stop again replaces the earlier mark. */
  async upsert(m: NewPatrolMark): Promise<PatrolMarkRecord> {
    const [row] = await selectRows<PatrolMarkRecord>(
      this.dataSource,
      `INSERT INTO patrol_marks ("roundId", "stopIndex", "cameraId", result, note, "snapshotUrl", "markedBy", "markedByName", "markedAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT ("roundId", "stopIndex", "cameraId") DO UPDATE SET result = EXCLUDED.result, note = EXCLUDED.note, "snapshotUrl" = EXCLUDED."snapshotUrl", "markedBy" = EXCLUDED."markedBy", "markedByName" = EXCLUDED."markedByName", "markedAt" = EXCLUDED."markedAt"
       RETURNING ${COLUMNS}`,
      [m.roundId, m.stopIndex, m.cameraId, m.result, m.note, m.snapshotUrl, m.markedBy, m.markedByName, m.markedAt],
    );
    return row;
  }

  /** The marks of these rounds, by round, stop and time. */
  listOf(roundIds: readonly string[]): Promise<PatrolMarkRecord[]> {
    if (roundIds.length === 0) return Promise.resolve([]);
    return selectRows(this.dataSource, `SELECT ${COLUMNS} FROM patrol_marks WHERE "roundId" = ANY($1::uuid[]) ORDER BY "roundId", "stopIndex", "markedAt", id`, [roundIds]);
  }
}
