import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, Principal, ScopeService } from '@tiergate/access';
import { csvDocument } from '@tiergate/domain';
import { AuditQueryDto } from './audit.dto';

export interface AuditEntryView {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

/**
 * Reads the append-only audit log, newest first. The built-in admin sees every entry; another admin
 * sees the entries of actors whose home node lies in its subtree (its own staff), not those of admins
 * above it nor anonymous entries such as failed logins for unknown names.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: ScopeService,
  ) {}

  async query(actor: Principal, q: AuditQueryDto): Promise<AuditEntryView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    if (administered !== undefined) add((p) => `u."jurisdictionId" = ANY(${p}::uuid[])`, [...administered]);
    if (q.actor) isUuid(q.actor) ? add((p) => `a."actorId" = ${p}::uuid`, q.actor) : add((p) => `a."actorName" = ${p}`, q.actor);
    if (q.action) q.action.endsWith('*') ? add((p) => `a.action LIKE ${p}`, `${q.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`) : add((p) => `a.action = ${p}`, q.action);
    if (q.targetId) add((p) => `a."targetId" = ${p}`, q.targetId);
    if (q.from) add((p) => `a.at >= ${p}::timestamptz`, q.from);
    if (q.to) add((p) => `a.at < ${p}::timestamptz`, q.to);
    params.push(q.limit ?? 100, q.offset ?? 0);
    const rows: Array<Omit<AuditEntryView, 'at'> & { at: Date }> = await this.dataSource.query(
      `SELECT a.id::text AS id, a.at, a."actorId", a."actorName", a.action, a."targetType", a."targetId", a.ip, a.details
         FROM audit_log a ${administered !== undefined ? 'JOIN users u ON u.id = a."actorId"' : ''}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }
}

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actorId', 'actorName', 'action', 'targetType', 'targetId', 'ip', 'details'] as const;

/** Pure: audit entries as CSV for a spreadsheet, every cell through the formula-neutralising writer. */
export function auditCsv(entries: readonly AuditEntryView[]): string {
  return csvDocument(
    AUDIT_CSV_COLUMNS,
    entries.map((e) => [e.id, e.at, e.actorId, e.actorName, e.action, e.targetType, e.targetId, e.ip, e.details ? JSON.stringify(e.details) : null]),
  );
}
