import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { selectRows, writeRows } from '../sql-runner';

/** A named set of cameras shown together: a station preset or a wall built from a hotspot. */
export interface WallRecord {
  id: string;
  name: string;
  kind: string;
  jurisdictionId: string | null;
  cameraIds: string[];
  source: Record<string, unknown> | null;
  createdBy: string | null;
  createdAt: Date;
}

export type NewWall = Omit<WallRecord, 'id' | 'createdAt'>;

const COLUMNS = `id, name, kind, "jurisdictionId", "cameraIds", source, "createdBy", "createdAt"`;

/** The only SQL for the `camera_walls` table. */
@Injectable()
export class WallsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(wall: NewWall): Promise<WallRecord> {
    const [row] = await selectRows<WallRecord>(
      this.dataSource,
      `INSERT INTO camera_walls (name, kind, "jurisdictionId", "cameraIds", source, "createdBy") VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6) RETURNING ${COLUMNS}`,
      [wall.name, wall.kind, wall.jurisdictionId, JSON.stringify(wall.cameraIds), wall.source === null ? null : JSON.stringify(wall.source), wall.createdBy],
    );
    return row;
  }

  /** Every wall, newest first. */
  list(): Promise<WallRecord[]> {
    return selectRows(this.dataSource, `SELECT ${COLUMNS} FROM camera_walls ORDER BY "createdAt" DESC, id`);
  }

  async get(id: string): Promise<WallRecord | undefined> {
    const [row] = await selectRows<WallRecord>(this.dataSource, `SELECT ${COLUMNS} FROM camera_walls WHERE id = $1::uuid`, [id]);
    return row;
  }

  async delete(id: string): Promise<void> {
    await writeRows(this.dataSource, `DELETE FROM camera_walls WHERE id = $1::uuid`, [id]);
  }
}
