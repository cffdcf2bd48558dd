import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { csvDocument, isUuid, TiergateError } from '@tiergate/domain';
import { AuditFilter, AuditRepository } from '@tiergate/persistence';
import type { AuditEntryRecord } from '@tiergate/persistence';
import { AUDIT_CSV_MAX, AUDIT_JSON_MAX, AuditQueryDto } from './audit.dto';

/** An audit entry as the API answers it: the stored record with its time as ISO 8601. */
export type AuditEntryView = Omit<AuditEntryRecord, 'at'> & { at: string };

/**
 * Reads the append-only audit log, newest first. The built-in admin sees every entry; another admin
 * sees the entries of actors whose home node lies in its subtree (its own staff), not those of admins
 * above it nor anonymous entries such as failed logins for unknown names.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    private readonly scopes: ScopeService,
  ) {}

  /** One page of the entries the actor may read, and how many match over all pages. */
  async query(actor: Principal, q: AuditQueryDto): Promise<{ entries: AuditEntryView[]; total: number }> {
    const csv = q.format === 'csv';
    if (!csv && q.limit !== undefined && q.limit > AUDIT_JSON_MAX) {
      throw new TiergateError('VALIDATION_FAILED', `limit: at most ${AUDIT_JSON_MAX} entries per JSON page (format=csv exports up to ${AUDIT_CSV_MAX})`, { fields: ['limit'] });
    }
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const filter: AuditFilter = { limit: q.limit ?? (csv ? AUDIT_CSV_MAX : 100), offset: q.offset ?? 0, targetId: q.targetId || undefined, from: q.from || undefined, to: q.to || undefined };
    if (administered !== undefined) filter.actorJurisdictionIds = [...administered];
    if (q.actor) isUuid(q.actor) ? (filter.actorId = q.actor) : (filter.actorName = q.actor);
    if (q.action) q.action.endsWith('*') ? (filter.actionPrefix = q.action.slice(0, -1)) : (filter.action = q.action);
    const [rows, total] = await Promise.all([this.entries.search(filter), this.entries.count(filter)]);
    return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total };
  }
}

/** The export's columns; targetName (the camera's or user's name at export time) came last, after the original nine. */
export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actorId', 'actorName', 'action', 'targetType', 'targetId', 'ip', 'details', 'targetName'] as const;

/** Pure: audit entries as CSV for a spreadsheet, every cell through the formula-neutralising writer. */
export function auditCsv(entries: readonly AuditEntryView[]): string {
  return csvDocument(
    AUDIT_CSV_COLUMNS,
    entries.map((e) => [e.id, e.at, e.actorId, e.actorName, e.action, e.targetType, e.targetId, e.ip, e.details ? JSON.stringify(e.details) : null, e.targetName]),
  );
}
