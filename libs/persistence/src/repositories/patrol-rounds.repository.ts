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

/** What the fulfilment rate needs of a round: its times, its stop count and how many of its stops have a mark. */
export interface PatrolRoundSummary {
  id: string;
  routeId: string;
  plannedAt: Date;
  startedAt: Date;
  finishedAt: Date | null;
  stopCount: number;
  markedStops: number;
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

  /**
   * Summaries of the rounds of these routes planned in [from, to): no stops or marks are loaded (the marked-stop
   * count is read from patrol_marks in the same statement), so a year of a whole tree stays one light query.
   */
  async summariesPlannedIn(routeIds: readonly string[], from: Date, to: Date): Promise<PatrolRoundSummary[]> {
    if (routeIds.length === 0) return [];
    const rows = await selectRows<PatrolRoundSummary>(
      this.dataSource,
      `WITH r AS (SELECT id, "routeId", "plannedAt", "startedAt", "finishedAt", jsonb_array_length(stops) AS "stopCount" FROM patrol_rounds
                  WHERE "routeId" = ANY($1::uuid[]) AND "plannedAt" >= $2 AND "plannedAt" < $3),
            m AS (SELECT "roundId", count(DISTINCT "stopIndex") AS n FROM patrol_marks WHERE "roundId" IN (SELECT id FROM r) GROUP BY "roundId")
       SELECT r.*, COALESCE(m.n, 0) AS "markedStops" FROM r LEFT JOIN m ON m."roundId" = r.id`,
      [routeIds, from, to],
    );
    return rows.map((r) => ({ ...r, stopCount: Number(r.stopCount), markedStops: Number(r.markedStops) }));
  }

  /** Rounds of these routes planned in [from, to), by planned time. */
  listPlannedIn(routeIds: readonly string[], from: Date, to: Date): Promise<PatrolRoundRecord[]> {
    if (routeIds.length === 0) return Promise.resolve([]);
    return selectRows(this.dataSource, `SELECT ${COLUMNS} FROM patrol_rounds WHERE "routeId" = ANY($1::uuid[]) AND "plannedAt" >= $2 AND "plannedAt" < $3 ORDER BY "plannedAt", id`, [routeIds, from, to]);
  }
}
