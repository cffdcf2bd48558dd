import { Injectable } from '@nestjs/common';
import type { PatrolSchedule, PatrolStop } from '@tiergate/domain';
import { DataSource } from 'typeorm';
import { selectRows } from '../sql-runner';

export interface PatrolRouteRecord {
  id: string;
  name: string;
  jurisdictionId: string;
  stops: PatrolStop[];
  schedule: PatrolSchedule;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** `createdAt`: now unless given (the demo's routes have a past, so their planned times do). */
export type NewPatrolRoute = Pick<PatrolRouteRecord, 'name' | 'jurisdictionId' | 'stops' | 'schedule' | 'createdBy'> & { createdAt?: Date };
export type PatrolRoutePatch = Pick<PatrolRouteRecord, 'name' | 'jurisdictionId' | 'stops' | 'schedule'>;

const COLUMNS = `id, name, "jurisdictionId", stops, schedule, "createdBy", "createdAt", "updatedAt", "deletedAt"`;

/** The only SQL for `patrol_routes`. A deleted route keeps its row (deletedAt) for the rounds and rates of the past. */
@Injectable()
export class PatrolRoutesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(r: NewPatrolRoute): Promise<PatrolRouteRecord> {
    const [row] = await selectRows<PatrolRouteRecord>(
      this.dataSource,
      `INSERT INTO patrol_routes (name, "jurisdictionId", stops, schedule, "createdBy", "createdAt", "updatedAt")
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, COALESCE($6::timestamptz, now()), COALESCE($6::timestamptz, now())) RETURNING ${COLUMNS}`,
      [r.name, r.jurisdictionId, JSON.stringify(r.stops), JSON.stringify(r.schedule), r.createdBy, r.createdAt ?? null],
    );
    return row;
  }

  /** A route that is not deleted. */
  async get(id: string): Promise<PatrolRouteRecord | undefined> {
    const [row] = await selectRows<PatrolRouteRecord>(this.dataSource, `SELECT ${COLUMNS} FROM patrol_routes WHERE id = $1::uuid AND "deletedAt" IS NULL`, [id]);
    return row;
  }

  /** Live routes of these nodes (undefined: every node), oldest first. */
  list(jurisdictionIds: readonly string[] | undefined): Promise<PatrolRouteRecord[]> {
    return selectRows(this.dataSource, `SELECT ${COLUMNS} FROM patrol_routes WHERE "deletedAt" IS NULL AND ($1::uuid[] IS NULL OR "jurisdictionId" = ANY($1::uuid[])) ORDER BY "createdAt", id`, [jurisdictionIds ?? null]);
  }

  /** Routes of these nodes that existed during [from, to): created before `to`, not deleted before `from`. */
  listExistingDuring(jurisdictionIds: readonly string[] | undefined, from: Date, to: Date): Promise<PatrolRouteRecord[]> {
    return selectRows(
      this.dataSource,
      `SELECT ${COLUMNS} FROM patrol_routes WHERE "createdAt" < $2 AND ("deletedAt" IS NULL OR "deletedAt" > $1) AND ($3::uuid[] IS NULL OR "jurisdictionId" = ANY($3::uuid[])) ORDER BY "createdAt", id`,
      [from, to, jurisdictionIds ?? null],
    );
  }

  async update(id: string, p: PatrolRoutePatch): Promise<PatrolRouteRecord | undefined> {
    const [row] = await selectRows<PatrolRouteRecord>(
      this.dataSource,
      `UPDATE patrol_routes SET name = $2, "jurisdictionId" = $3, stops = $4::jsonb, schedule = $5::jsonb, "updatedAt" = now() WHERE id = $1::uuid AND "deletedAt" IS NULL RETURNING ${COLUMNS}`,
      [id, p.name, p.jurisdictionId, JSON.stringify(p.stops), JSON.stringify(p.schedule)],
    );
    return row;
  }

  async softDelete(id: string): Promise<boolean> {
    const rows = await selectRows(this.dataSource, `UPDATE patrol_routes SET "deletedAt" = now() WHERE id = $1::uuid AND "deletedAt" IS NULL RETURNING id`, [id]);
    return rows.length > 0;
  }
}
