import { Inject, Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { type FulfilmentCounts, TiergateError } from '@tiergate/domain';
import { AuditWriter, CameraAlarmsRepository, CameraRepository } from '@tiergate/persistence';
import { HotspotsService } from '../hotspots/hotspots.service';
import { PatrolLogService } from '../patrol/patrol-log.service';
import { buildPeriodReport, PeriodReport, REPORT_TOP_CELLS } from './period-report';
import { RatesService } from './rates.service';

/** Gi* z from which a cell is a significant hot spot (90 %, CONTRACT.md "Hotspots"). */
const HOT_Z = 1.645;

export interface PeriodReportQuery {
  jurisdictionId?: string;
  from: Date;
  to: Date;
}

/**
 * The period report of a node (docs/methods.md "Period report"): GET /api/rates for the node and its children,
 * the duty fulfilment rate of the period and of the same period last year, the hot cells of each row's own area
 * (Gi* as GET /api/hotspots). The node is `jurisdictionId` (404 unless in scope, like a missing one), else the
 * caller's home node, else the only top-level node. Alarms: those started in the period on the cameras now assigned
 * to the row's subtree (docs/alarms.md).
 * Every file asked for is audited as an export (`report.export`).
 */
@Injectable()
export class PeriodReportService {
  constructor(
    private readonly rates: RatesService,
    private readonly patrol: PatrolLogService,
    private readonly hotspots: HotspotsService,
    private readonly scopes: ScopeService,
    private readonly cameras: CameraRepository,
    private readonly alarms: CameraAlarmsRepository,
    private readonly audit: AuditWriter,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async report(principal: Principal, q: PeriodReportQuery, now = Date.now()): Promise<PeriodReport> {
    const jurisdictionId = await this.nodeOf(principal, q.jurisdictionId);
    const rates = await this.rates.rates(principal, { jurisdictionId, from: q.from, to: q.to }, now);
    const last = { from: new Date(rates.samePeriodLastYear.from), to: new Date(rates.samePeriodLastYear.to) };
    const [current, lastYear] = await Promise.all([
      this.patrol.fulfilment(principal, { jurisdictionId, from: q.from, to: q.to }),
      this.patrol.fulfilment(principal, { jurisdictionId, ...last }),
    ]);
    const countsOf = (f: typeof current) => new Map<string, FulfilmentCounts>([[f.jurisdictionId, f.counts], ...f.children.map((c): [string, FulfilmentCounts] => [c.jurisdictionId, c.counts])]);
    const rowIds = [rates.node, ...rates.children].map((n) => n.jurisdiction?.id).filter((id): id is string => !!id);
    const tree = await this.scopes.tree();
    const alarms = new Map<string, number>();
    for (const id of rowIds) {
      const scope = { all: false, jurisdictionIds: [...tree.subtreeIds(id)], cameraIds: [] };
      alarms.set(id, (await this.alarms.list({ scope, from: q.from, to: q.to, limit: 1, offset: 0 })).total);
    }
    const hotCells = new Map<string, number>();
    let top: PeriodReport['topHotCells'] = [];
    for (const id of rowIds) {
      const answer = await this.hotspots.analyse(principal, { jurisdictionId: id, from: q.from, to: q.to });
      const hot = answer.cells.filter((c) => c.z >= HOT_Z);
      hotCells.set(id, hot.length);
      if (id === jurisdictionId) {
        const chosen = [...hot].sort((a, b) => b.z - a.z).slice(0, REPORT_TOP_CELLS);
        const names = await this.cameraNames(chosen.flatMap((c) => (c.cameras ?? []).slice(0, 5)));
        top = chosen.map((c) => ({ centre: c.centre, count: c.count, z: c.z, cameras: (c.cameras ?? []).slice(0, 5).map((cid) => names.get(cid) ?? cid) }));
      }
    }
    return buildPeriodReport({
      rates,
      fulfilment: { current: countsOf(current), lastYear: countsOf(lastYear) },
      hotCells,
      alarms,
      topHotCells: top,
      generatedBy: principal.username,
      now,
      utcOffsetMinutes: this.config.analysis.utcOffsetMinutes,
    });
  }

  /** Records a file given out: who, which node and period, which format. */
  async audited(principal: Principal, report: PeriodReport, format: string, ip: string | undefined): Promise<void> {
    const node = report.rows[0]?.jurisdiction;
    await this.audit.append(
      { userId: principal.userId, username: principal.username },
      { action: 'report.export', targetType: 'jurisdiction', targetId: node?.id, ip, details: { report: 'period', format, code: node?.code, from: report.period.from, to: report.period.to, rows: report.rows.length } },
    );
  }

  private async nodeOf(principal: Principal, asked: string | undefined): Promise<string> {
    if (asked !== undefined) return asked; // checked by the rates (404 when out of scope)
    if (principal.jurisdictionId !== null) return principal.jurisdictionId;
    const roots = (await this.scopes.tree()).roots();
    if (roots.length === 1) return roots[0].id;
    throw new TiergateError('VALIDATION_FAILED', 'jurisdictionId: required when there is more than one top-level jurisdiction', { fields: ['jurisdictionId'] });
  }

  private async cameraNames(ids: readonly string[]): Promise<Map<string, string>> {
    return new Map((await this.cameras.briefs(ids)).map((c) => [c.id, c.name]));
  }
}
