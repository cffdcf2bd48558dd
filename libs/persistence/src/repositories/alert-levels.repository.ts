import { Injectable } from '@nestjs/common';
import type { AlertLevel } from '@tiergate/domain';
import { DataSource } from 'typeorm';
import { selectRows } from '../sql-runner';

export interface AlertLevelRecord {
  jurisdictionId: string;
  level: AlertLevel;
  reason: string;
  expiresAt: Date | null;
  setBy: string | null;
  setByName: string;
  setAt: Date;
}

const COLUMNS = `"jurisdictionId", level, reason, "expiresAt", "setBy", "setByName", "setAt"`;

/** The only SQL for `jurisdiction_alert_levels`: one row per node, its own current level. */
@Injectable()
export class AlertLevelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async set(r: AlertLevelRecord): Promise<AlertLevelRecord> {
    const [row] = await selectRows<AlertLevelRecord>(
      this.dataSource,
      `INSERT INTO jurisdiction_alert_levels (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("jurisdictionId") DO UPDATE SET level = EXCLUDED.level, reason = EXCLUDED.reason, "expiresAt" = EXCLUDED."expiresAt", "setBy" = EXCLUDED."setBy", "setByName" = EXCLUDED."setByName", "setAt" = EXCLUDED."setAt"
       RETURNING ${COLUMNS}`,
      [r.jurisdictionId, r.level, r.reason, r.expiresAt, r.setBy, r.setByName, r.setAt],
    );
    return { ...row, level: Number(row.level) as AlertLevel };
  }

  /** Every node's own level (a few rows: one per node that ever set one). */
  async all(): Promise<AlertLevelRecord[]> {
    const rows = await selectRows<AlertLevelRecord>(this.dataSource, `SELECT ${COLUMNS} FROM jurisdiction_alert_levels`);
    return rows.map((r) => ({ ...r, level: Number(r.level) as AlertLevel }));
  }
}
