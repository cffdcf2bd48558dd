import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tiergate/domain';
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
  /** The target's name now (a camera's or user's), read at search time; null when it is gone or has none. */
  targetName: string | null;
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
    const { from, where, params } = whereOf(filter);
    params.push(filter.limit, filter.offset);
    const rows = await selectRows<Omit<AuditEntryRecord, 'targetName'>>(
      this.dataSource,
      `SELECT a.id::text AS id, a.at, a."actorId", a."actorName", a.action, a."targetType", a."targetId", a.ip, a.details
         FROM ${from}
        ${where}
        ORDER BY a.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const names = await this.targetNames(rows);
    return rows.map((r) => ({ ...r, at: new Date(r.at), targetName: (r.targetId && names.get(`${r.targetType}:${r.targetId}`)) ?? null }));
  }

  /** The current names of a page's camera and user targets: one indexed lookup per table, by primary key. */
  private async targetNames(rows: ReadonlyArray<Pick<AuditEntryRecord, 'targetType' | 'targetId'>>): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const [type, sql] of [
      ['camera', `SELECT id::text AS id, name FROM cameras WHERE id = ANY($1::uuid[])`],
      ['user', `SELECT id::text AS id, username AS name FROM users WHERE id = ANY($1::uuid[])`],
    ] as const) {
      const ids = [...new Set(rows.filter((r) => r.targetType === type && isUuid(r.targetId)).map((r) => r.targetId!))];
      if (ids.length === 0) continue;
      for (const r of await selectRows<{ id: string; name: string }>(this.dataSource, sql, [ids])) names.set(`${type}:${r.id}`, r.name);
    }
    return names;
  }

  /** How many entries match `filter` over all pages (its limit and offset are ignored). */
  async count(filter: AuditFilter): Promise<number> {
    const { from, where, params } = whereOf(filter);
    const [row] = await selectRows<{ n: string }>(this.dataSource, `SELECT count(*)::text AS n FROM ${from} ${where}`, params);
    return Number(row?.n ?? 0);
  }
}

/** The FROM and WHERE of a search, with its parameters. */
function whereOf(filter: AuditFilter): { from: string; where: string; params: unknown[] } {
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
  return {
    from: `audit_log a ${scoped ? 'JOIN users u ON u.id = a."actorId"' : ''}`,
    where: where.length ? `WHERE ${where.join(' AND ')}` : '',
    params,
  };
}
