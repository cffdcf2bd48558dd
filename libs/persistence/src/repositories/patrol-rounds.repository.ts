import { Injectable } from '@nestjs/common';
import type { PatrolStop } from '@tiergate/domain';
import { DataSource } from 'typeorm';
import { selectRows } from '../sql-runner';

/** A route stop as it was when the round started, with the cameras it stood for then. */
export type RoundStop = PatrolStop & { cameraIds: string[] };

export interface PatrolRoundRecord {
  id: string;
  routeId: string;
  jurisdictionId: string;
  plannedAt: Date;
  startedAt: Date;
  finishedAt: Date | null;
  startedBy: string | null;
  startedByName: string;
  finishedBy: string | null;
  stops: RoundStop[];
}

export type NewPatrolRound = Omit<PatrolRoundRecord, 'id' | 'finishedAt' | 'finishedBy'>;

const COLUMNS = `id, "routeId", "jurisdictionId", "plannedAt", "startedAt", "finishedAt", "startedBy", "startedByName", "finishedBy", stops`;

/** The only SQL for `patrol_rounds`. */
@Injectable()
export class PatrolRoundsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The new round, or undefined when the route already has one for that planned time. */
  async create(r: NewPatrolRound): Promise<PatrolRoundRecord | undefined> {
    const [row] = await selectRows<PatrolRoundRecord>(
      this.dataSource,
      `INSERT INTO patrol_rounds ("routeId", "jurisdictionId", "plannedAt", "startedAt", "startedBy", "startedByName", stops) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT ("routeId", "plannedAt") DO NOTHING RETURNING ${COLUMNS}`,
      [r.routeId, r.jurisdictionId, r.plannedAt, r.startedAt, r.startedBy, r.startedByName, JSON.stringify(r.stops)],
    );
    return row;
  }

  async get(id: string): Promise<PatrolRoundRecord | undefined> {
    const [row] = await selectRows<PatrolRoundRecord>(this.dataSource, `SELECT ${COLUMNS} FROM patrol_rounds WHERE id = $1::uuid`, [id]);
    return row;
  }

  /** Sets the end of a round still running; undefined when it is missing or already finished. */
  async finish(id: string, by: string | null, at: Date): Promise<PatrolRoundRecord | undefined> {
    const [row] = await selectRows<PatrolRoundRecord>(this.dataSource, `UPDATE patrol_rounds SET "finishedAt" = $2, "finishedBy" = $3 WHERE id = $1::uuid AND "finishedAt" IS NULL RETURNING ${COLUMNS}`, [id, at, by]);
    return row;
  }

  /** Rounds of these routes planned in [from, to), by planned time. */
  listPlannedIn(routeIds: readonly string[], from: Date, to: Date): Promise<PatrolRoundRecord[]> {
    if (routeIds.length === 0) return Promise.resolve([]);
    return selectRows(this.dataSource, `SELECT ${COLUMNS} FROM patrol_rounds WHERE "routeId" = ANY($1::uuid[]) AND "plannedAt" >= $2 AND "plannedAt" < $3 ORDER BY "plannedAt", id`, [routeIds, from, to]);
  }
}
