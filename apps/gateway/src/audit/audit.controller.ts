import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { AuditQueryDto } from './audit.dto';
import { auditCsv, AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries you may read, newest first, one page; ?format=csv for a spreadsheet (formula cells neutralised)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'JSON entries, or with format=csv a text/csv attachment of the same page' })
  async query(@CurrentPrincipal() principal: Principal, @Query() q: AuditQueryDto, @Res({ passthrough: true }) res: Response) {
    const entries = await this.audit.query(principal, q);
    if (q.format !== 'csv') return entries;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="tiergate-audit.csv"');
    return auditCsv(entries);
  }
}
