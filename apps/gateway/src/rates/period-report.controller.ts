import { Controller, Get, Ip, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { reportCsp, reportCsv, reportHtml } from './period-report';
import { PeriodReportQueryDto } from './period-report.dto';
import { PeriodReportService } from './period-report.service';

@ApiTags('rates')
@ApiBearerAuth()
@Controller('api/reports')
@Roles('admin', 'analyst')
export class PeriodReportController {
  constructor(private readonly reports: PeriodReportService) {}

  @Get('period')
  @ApiOperation({
    summary: 'The period report of a jurisdiction: the four rates, the monitoring rate, patrol rounds, alarms and hot spots for the node and each child',
    description:
      'One row for the node and one per child (the tier below), each over its subtree: incidents and the decline rate (vs previous period, vs same period last year), ' +
      'preventable cases per 10,000, duty fulfilment rate with the round counts, stop-and-check capture rate, monitoring rate (cameras and camera-hours watched), ' +
      'significant hot cells (Gi* z >= 1.645 over the row\'s own area) and alarms started in the period on the subtree\'s cameras. Period as GET /api/rates, at most 366 days. ' +
      'format=csv: an attachment, UTF-8 with BOM, rates as fractions, empty where a denominator is zero with the reason in `notes`, formula cells neutralised; ' +
      'format=html: a printable self-contained page (Chinese first; lang=en adds English). CSV and HTML are audited (`report.export`). ' +
      'Columns: docs/methods.md "Period report". Out-of-scope jurisdictionId: 404 like a missing one.',
  })
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOkResponse({ description: 'JSON report, a text/csv attachment or a text/html page' })
  async period(@CurrentPrincipal() principal: Principal, @Query() q: PeriodReportQueryDto, @Ip() ip: string, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.report(principal, q);
    const format = q.format ?? 'json';
    if (format === 'json') return report;
    await this.reports.audited(principal, report, format, ip);
    const node = report.rows[0]?.jurisdiction.code ?? 'all';
    const name = `tiergate-report-${node.replace(/[^A-Za-z0-9_-]/g, '_')}-${report.period.from.slice(0, 10)}`;
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      return `\uFEFF${reportCsv(report)}`;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Disposition', `inline; filename="${name}.html"`);
    res.setHeader('Content-Security-Policy', reportCsp());
    return reportHtml(report, q.lang ?? 'zh-CN');
  }
}
