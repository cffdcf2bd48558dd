import { Module } from '@nestjs/common';
import { AuditController } from '../audit/audit.controller';
import { AuditService } from '../audit/audit.service';
import { GrantsController } from '../grants/grants.controller';
import { GrantsService } from '../grants/grants.service';
import { JurisdictionsController } from './jurisdictions.controller';
import { JurisdictionsService } from './jurisdictions.service';

/** The tree (reads here, writes via the partitioner), temporary grants and the audit log. */
@Module({
  controllers: [JurisdictionsController, GrantsController, AuditController],
  providers: [JurisdictionsService, GrantsService, AuditService],
})
export class JurisdictionsModule {}
