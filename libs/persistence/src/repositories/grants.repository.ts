import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, Tx } from '../transactor';

/** A grant row (a temporary share: a camera or a node made visible to a user or a node's users). */
export interface GrantRecord {
  id: string;
  cameraId: string | null;
  jurisdictionId: string | null;
  granteeUserId: string | null;
  granteeJurisdictionId: string | null;
  reason: string | null;
  startsAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

/** A grant with the node of its camera (for "who manages this grant"); null for a node grant or a deleted camera. */
export interface GrantWithObjectNode extends GrantRecord {
  cameraJurisdictionId: string | null;
  /** The camera's name and the grantee user's username now (null for a jurisdiction grant, a node grantee, or one deleted). */
  cameraName: string | null;
  granteeUsername: string | null;
}

export type NewGrant = Omit<GrantRecord, 'id' | 'revokedAt' | 'createdAt'>;

/** What an access check needs of a grant that has not ended (not revoked, not expired). */
export interface LiveGrant {
  id: string;
  cameraId: string | null;
  jurisdictionId: string | null;
  granteeUserId: string | null;
  granteeJurisdictionId: string | null;
  startsAt: Date;
  expiresAt: Date;
}

const COLUMNS = `g.id, g."cameraId", g."jurisdictionId", g."granteeUserId", g."granteeJurisdictionId", g.reason, g."startsAt", g."expiresAt", g."revokedAt", g."createdBy", g."createdAt"`;

/** A grant's columns with its camera's node and the names the API shows. */
const WITH_NAMES = `${COLUMNS}, c."jurisdictionId" AS "cameraJurisdictionId", c.name AS "cameraName", gu.username AS "granteeUsername"`;

/** The only SQL for `access_grants`. */
@Injectable()
export class GrantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(grant: NewGrant): Promise<GrantRecord> {
    const [row]: GrantRecord[] = await this.dataSource.query(
      `WITH created AS (
         INSERT INTO access_grants ("cameraId", "jurisdictionId", "granteeUserId", "granteeJurisdictionId", reason, "startsAt", "expiresAt", "createdBy")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *)
       SELECT ${COLUMNS} FROM created g`,
      [grant.cameraId, grant.jurisdictionId, grant.granteeUserId, grant.granteeJurisdictionId, grant.reason, grant.startsAt, grant.expiresAt, grant.createdBy],
    );
    return row;
  }

  /** Every grant, newest first, with its camera's node. */
  list(): Promise<GrantWithObjectNode[]> {
    return this.dataSource.query(
      `SELECT ${WITH_NAMES} FROM access_grants g LEFT JOIN cameras c ON c.id = g."cameraId" LEFT JOIN users gu ON gu.id = g."granteeUserId" ORDER BY g."createdAt" DESC, g.id`,
    );
  }

  async get(id: string): Promise<GrantWithObjectNode | undefined> {
    const [row]: GrantWithObjectNode[] = await this.dataSource.query(
      `SELECT ${WITH_NAMES} FROM access_grants g LEFT JOIN cameras c ON c.id = g."cameraId" LEFT JOIN users gu ON gu.id = g."granteeUserId" WHERE g.id = $1`,
      [id],
    );
    return row;
  }

  /** Marks the grant revoked now (kept for the record); a grant revoked before keeps its first time. */
  async revoke(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE access_grants SET "revokedAt" = now() WHERE id = $1 AND "revokedAt" IS NULL`, [id]);
  }

  /** Inside `tx`: revokes every grant to this user (before the user is deleted). */
  async revokeAllTo(granteeUserId: string, tx: Tx): Promise<void> {
    await runnerOf(this.dataSource, tx).query(`UPDATE access_grants SET "revokedAt" = now() WHERE "granteeUserId" = $1 AND "revokedAt" IS NULL`, [granteeUserId]);
  }

  /** Grants that have not ended: not revoked and not expired (including those that start later). */
  live(): Promise<LiveGrant[]> {
    return this.dataSource.query(
      `SELECT id, "cameraId", "jurisdictionId", "granteeUserId", "granteeJurisdictionId", "startsAt", "expiresAt"
         FROM access_grants WHERE "revokedAt" IS NULL AND "expiresAt" > now() ORDER BY id`,
    );
  }
}
