import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The `leases` table: a role that exactly one process plays at a time (the acting partitioner). A
 * holder renews its lease well before `expiresAt`; anyone may take a lease that expired (its holder
 * died, froze or lost the database), which increments `fence`. Everything the holder does that must
 * not be done by a lost holder first calls `act`, which succeeds only while the lease is still its own
 * and returns a fresh, ever-growing number (the published snapshot's version).
 *
 * Statements that return rows after a write are wrapped in a CTE, so both drivers (pg and PGlite)
 * answer them as a plain SELECT.
 */
@Injectable()
export class LeaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes or renews `name` for `holder` for `ttlMs`; true when `holder` holds it afterwards. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows: { holder: string }[] = await this.dataSource.query(
      `WITH taken AS (
         INSERT INTO leases (name, holder, "expiresAt", fence) VALUES ($1, $2, now() + $3::int * interval '1 millisecond', 1)
         ON CONFLICT (name) DO UPDATE SET
           holder = EXCLUDED.holder,
           "expiresAt" = EXCLUDED."expiresAt",
           fence = CASE WHEN leases.holder = EXCLUDED.holder THEN leases.fence ELSE leases.fence + 1 END
         WHERE leases.holder = EXCLUDED.holder OR leases."expiresAt" < now()
         RETURNING holder)
       SELECT holder FROM taken`,
      [name, holder, Math.round(ttlMs)],
    );
    return rows.length === 1;
  }

  /**
   * The next fence number when `holder` still holds an unexpired `name`; undefined when it lost it. The number
   * grows by one at least and is never below the database clock in milliseconds, so it also grows across a
   * database that was created again: a broker's retained snapshot or plan from the old database (a higher
   * count of acts) does not outrank the new one's.
   */
  async act(name: string, holder: string): Promise<number | undefined> {
    const rows: { fence: string }[] = await this.dataSource.query(
      `WITH acted AS (
         UPDATE leases SET fence = GREATEST(fence + 1, (extract(epoch from clock_timestamp()) * 1000)::bigint)
           WHERE name = $1 AND holder = $2 AND "expiresAt" > now() RETURNING fence)
       SELECT fence::text AS fence FROM acted`,
      [name, holder],
    );
    return rows.length === 1 ? Number(rows[0].fence) : undefined;
  }

  /** Gives `name` up at once (a graceful stop), so that another process takes it without waiting for expiry. */
  async release(name: string, holder: string): Promise<void> {
    await this.dataSource.query(`UPDATE leases SET "expiresAt" = now() - interval '1 second' WHERE name = $1 AND holder = $2`, [name, holder]);
  }

  /** Who holds `name` now and until when (undefined when nobody or the lease expired). */
  async holding(name: string): Promise<{ holder: string; expiresAt: Date } | undefined> {
    const rows: { holder: string; expiresAt: Date | string }[] = await this.dataSource.query(`SELECT holder, "expiresAt" FROM leases WHERE name = $1 AND "expiresAt" > now()`, [name]);
    return rows[0] && { holder: rows[0].holder, expiresAt: new Date(rows[0].expiresAt) };
  }

  /** Who holds `name` now (undefined when nobody or the lease expired). */
  async holderOf(name: string): Promise<string | undefined> {
    const rows: { holder: string }[] = await this.dataSource.query(`SELECT holder FROM leases WHERE name = $1 AND "expiresAt" > now()`, [name]);
    return rows[0]?.holder;
  }
}
