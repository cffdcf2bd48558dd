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
  @ApiOperation({
    summary: 'Audit entries you may read ("who watched what, when, from where"), newest first, one page; ?format=csv exports the filter (formula cells neutralised)',
    description:
      'The built-in admin reads every entry; another admin the entries of users homed in its subtree. Filters: actor (id or username), action (exact or prefix*), targetId (a camera id for camera.live), from/to. Each entry carries targetName, the current name of its camera or user. X-Total-Count gives the number of matches over all pages.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'JSON entries, or with format=csv a text/csv attachment (UTF-8 with a byte-order mark, so spreadsheets read Chinese names) of the matching entries from offset, up to limit',
    headers: { 'X-Total-Count': { description: 'number of matching entries (all pages)', schema: { type: 'integer' } } },
  })
  async query(@CurrentPrincipal() principal: Principal, @Query() q: AuditQueryDto, @Res({ passthrough: true }) res: Response) {
    const { entries, total } = await this.audit.query(principal, q);
    res.setHeader('X-Total-Count', String(total));
    if (q.format !== 'csv') return entries;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="tiergate-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    return `\uFEFF${auditCsv(entries)}`;
  }
}
