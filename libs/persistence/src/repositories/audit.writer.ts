import { Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import { AuditEntryEntity } from '../entities';
import { InjectRepository } from '../persistence.module';

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

/** Appends to the audit log. The table refuses updates and deletes (see the initial migration). */
@Injectable()
export class AuditWriter {
  constructor(@InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>) {}

  async append(actor: AuditActor, record: AuditRecord): Promise<void> {
    await this.entries.insert({
      actorId: actor.userId,
      actorName: actor.username,
      action: record.action,
      targetType: record.targetType ?? null,
      targetId: record.targetId ?? null,
      ip: record.ip ?? null,
      details: (record.details ?? null) as never,
    });
  }
}
