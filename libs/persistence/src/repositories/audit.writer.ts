import { AuditRepository } from './audit.repository';

export type { AuditActor, AuditRecord } from './audit.repository';

/**
 * The audit log's writer is its repository (audit.repository.ts, the only SQL for `audit_log`): this
 * name stays for the modules that list `AuditWriter` among their providers and call `append`.
 */
export const AuditWriter = AuditRepository;
export type AuditWriter = AuditRepository;
