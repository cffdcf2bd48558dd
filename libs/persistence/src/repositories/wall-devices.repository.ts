import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { selectRows, writeRows } from '../sql-runner';

/** A wall device (docs/kiosk.md): the secret only as its hash. */
export interface WallDeviceRecord {
  id: string;
  name: string;
  userId: string;
  jurisdictionId: string;
  wallId: string | null;
  monitors: number;
  layout: number;
  tourSeconds: number;
  secretHash: string;
  createdBy: string | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
}

export type NewWallDevice = Pick<WallDeviceRecord, 'name' | 'userId' | 'jurisdictionId' | 'wallId' | 'monitors' | 'layout' | 'tourSeconds' | 'secretHash' | 'createdBy'>;

const COLUMNS = `id, name, "userId", "jurisdictionId", "wallId", monitors, layout, "tourSeconds", "secretHash", "createdBy", "createdAt", "lastSeenAt", "revokedAt"`;

/** The only SQL for the `wall_devices` table. */
@Injectable()
export class WallDevicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(device: NewWallDevice): Promise<WallDeviceRecord> {
    const [row] = await selectRows<WallDeviceRecord>(
      this.dataSource,
      `INSERT INTO wall_devices (name, "userId", "jurisdictionId", "wallId", monitors, layout, "tourSeconds", "secretHash", "createdBy") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [device.name, device.userId, device.jurisdictionId, device.wallId, device.monitors, device.layout, device.tourSeconds, device.secretHash, device.createdBy],
    );
    return row!;
  }

  async get(id: string): Promise<WallDeviceRecord | undefined> {
    const [row] = await selectRows<WallDeviceRecord>(this.dataSource, `SELECT ${COLUMNS} FROM wall_devices WHERE id = $1::uuid`, [id]);
    return row;
  }

  /** The device whose account is this user, if it is one. */
  async byUser(userId: string): Promise<WallDeviceRecord | undefined> {
    const [row] = await selectRows<WallDeviceRecord>(this.dataSource, `SELECT ${COLUMNS} FROM wall_devices WHERE "userId" = $1::uuid`, [userId]);
    return row;
  }

  /** Devices by name; only those of `jurisdictionIds` when given. */
  list(jurisdictionIds?: readonly string[]): Promise<WallDeviceRecord[]> {
    return jurisdictionIds === undefined
      ? selectRows<WallDeviceRecord>(this.dataSource, `SELECT ${COLUMNS} FROM wall_devices ORDER BY name, id`)
      : selectRows<WallDeviceRecord>(this.dataSource, `SELECT ${COLUMNS} FROM wall_devices WHERE "jurisdictionId" = ANY($1::uuid[]) ORDER BY name, id`, [[...jurisdictionIds]]);
  }

  async touch(id: string, at: Date): Promise<void> {
    await writeRows(this.dataSource, `UPDATE wall_devices SET "lastSeenAt" = $2 WHERE id = $1::uuid`, [id, at]);
  }

  /** Marks the device revoked (once: a second call keeps the first time). */
  async revoke(id: string, at: Date): Promise<void> {
    await writeRows(this.dataSource, `UPDATE wall_devices SET "revokedAt" = COALESCE("revokedAt", $2) WHERE id = $1::uuid`, [id, at]);
  }
}
