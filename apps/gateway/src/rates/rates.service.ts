import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { checkedPeriod, JurisdictionNode, previousPeriod, rolledUpPopulations, samePeriodLastYear, TiergateError } from '@tiergate/domain';
import { RateFiguresReader } from './rate-figures.reader';
import { ratesReport, RatesView } from './rates.report';

export interface RatesQuery {
  jurisdictionId?: string;
  from: Date;
  to: Date;
}

/**
 * The four rates (less the duty fulfilment rate, built with the patrol rounds) and the real-time monitoring
 * rate for a node and each of its children, each over its whole subtree, for the period, the previous period
 * of equal length and the same period last year (docs/methods.md). The node: `jurisdictionId` (404 unless in
 * the caller's scope, exactly like a missing one), else the caller's home node, else (the built-in admin) the
 * whole tree with the top-level nodes as children.
 */
@Injectable()
export class RatesService {
  private readonly preventableTypes: string[];

  constructor(
    private readonly scopes: ScopeService,
    private readonly figures: RateFiguresReader,
    @Inject(TIERGATE_CONFIG) config: TiergateConfig,
  ) {
    this.preventableTypes = [...new Set(config.analysis.preventableTypes.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
  }

  async rates(principal: Principal, query: RatesQuery, now = Date.now()): Promise<RatesView> {
    const period = checkedPeriod(query.from.getTime(), query.to.getTime());
    const tree = await this.scopes.tree();
    let node: JurisdictionNode | undefined;
    if (query.jurisdictionId !== undefined) {
      await this.scopes.assertJurisdictionVisible(principal, query.jurisdictionId);
      node = tree.get(query.jurisdictionId);
    } else if (principal.jurisdictionId !== null) {
      await this.scopes.scopeOf(principal); // a home node that no longer exists answers 403
      node = tree.get(principal.jurisdictionId);
    } else if (!(await this.scopes.scopeOf(principal)).all) {
      throw new TiergateError('FORBIDDEN', 'your account is bound to no jurisdiction');
    }
    const previous = previousPeriod(period);
    const lastYear = samePeriodLastYear(period);
    const [standing, [current, prev, last]] = await Promise.all([this.figures.standing(), this.figures.ofPeriods([period, previous, lastYear], now)]);
    const ids = tree.all().map((n) => n.id);
    const populations = rolledUpPopulations(ids, (id) => tree.children(id).map((c) => c.id), standing.ownPopulation);
    return ratesReport({ tree, node, preventableTypes: this.preventableTypes, standing, populations, current, previous: prev, lastYear: last });
  }
}
