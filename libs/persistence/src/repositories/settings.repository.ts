import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { selectRows } from '../sql-runner';

/** The only SQL for the `settings` table: small named values the system keeps for itself (jsonb). */
@Injectable()
export class SettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The value under `key`, or undefined when none is stored. */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    const [row] = await selectRows<{ value: T }>(this.dataSource, `SELECT value FROM settings WHERE key = $1`, [key]);
    return row?.value;
  }

  /** Stores `value` under `key`, replacing what was there. */
  async put(key: string, value: unknown): Promise<void> {
    await selectRows(this.dataSource, `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [
      key,
      JSON.stringify(value ?? null),
    ]);
  }
}
