import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** The audit log: who did and watched what, when, from where. */
@Module({ controllers: [AuditController], providers: [AuditService] })
export class AuditModule {}
