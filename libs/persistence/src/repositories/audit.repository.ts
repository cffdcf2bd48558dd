import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, Tx } from '../transactor';
import { selectRows } from '../sql-runner';

export interface AuditActor {
  userId: string | null;
  username: string | null;
}

export interface AuditRecord {
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  details?: Record<string, unknown>;
}

/** A stored audit entry. */
export interface AuditEntryRecord {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

/** Which entries a search answers, newest first. */
export interface AuditFilter {
  /** Only entries of actors whose home node is one of these (an admin's own staff). */
  actorJurisdictionIds?: readonly string[];
  actorId?: string;
  actorName?: string;
  action?: string;
  /** Actions starting with this. */
  actionPrefix?: string;
  targetId?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** The only SQL for the append-only `audit_log` table (the migration's trigger refuses UPDATE and DELETE). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends an entry (inside `tx` when given: it commits with the change it records). */
  async append(actor: AuditActor, record: AuditRecord, tx?: Tx): Promise<void> {
    await selectRows(
      runnerOf(this.dataSource, tx),
      `INSERT INTO audit_log ("actorId", "actorName", action, "targetType", "targetId", ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [actor.userId, actor.username, record.action, record.targetType ?? null, record.targetId ?? null, record.ip ?? null, record.details === undefined ? null : JSON.stringify(record.details)],
    );
  }

  async search(filter: AuditFilter): Promise<AuditEntryRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    const scoped = filter.actorJurisdictionIds !== undefined;
    if (scoped) add((p) => `u."jurisdictionId" = ANY(${p}::uuid[])`, [...filter.actorJurisdictionIds!]);
    if (filter.actorId !== undefined) add((p) => `a."actorId" = ${p}::uuid`, filter.actorId);
    if (filter.actorName !== undefined) add((p) => `a."actorName" = ${p}`, filter.actorName);
    if (filter.action !== undefined) add((p) => `a.action = ${p}`, filter.action);
    if (filter.actionPrefix !== undefined) add((p) => `a.action LIKE ${p}`, `${filter.actionPrefix.replace(/[\\%_]/g, '\\$&')}%`);
    if (filter.targetId !== undefined) add((p) => `a."targetId" = ${p}`, filter.targetId);
    if (filter.from !== undefined) add((p) => `a.at >= ${p}::timestamptz`, filter.from);
    if (filter.to !== undefined) add((p) => `a.at < ${p}::timestamptz`, filter.to);
    params.push(filter.limit, filter.offset);
    const rows = await selectRows<AuditEntryRecord>(
      this.dataSource,
      `SELECT a.id::text AS id, a.at, a."actorId", a."actorName", a.action, a."targetType", a."targetId", a.ip, a.details
         FROM audit_log a ${scoped ? 'JOIN users u ON u.id = a."actorId"' : ''}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }
}
