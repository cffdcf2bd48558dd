import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { addOutcome, classifySlot, expandSchedule, fulfilmentRate, rollUpFulfilment, TiergateError, zeroCounts, type FulfilmentCounts } from '@tiergate/domain';
import { PatrolMarksRepository, PatrolRoundsRepository, PatrolRouteRecord, PatrolRoutesRepository } from '@tiergate/persistence';
import type { PeriodQuery } from './patrol.dto';
import { PatrolClock, PatrolPolicy } from './patrol.policy';
import { FulfilmentView, RoundLogEntry, toRoundView } from './patrol.view';

export const MAX_PERIOD_DAYS = 366;

/**
 * The round log and the duty fulfilment rate of a node's subtree for a period (docs/methods.md, "Duty
 * fulfilment rate"): every planned time of every route that existed then (expanded on demand in the
 * configured zone, from the route's creation to its deletion) joined with the round started for it, plus
 * the ad-hoc rounds; each classified at the current time.
 */
@Injectable()
export class PatrolLogService {
  constructor(
    private readonly routes: PatrolRoutesRepository,
    private readonly rounds: PatrolRoundsRepository,
    private readonly marks: PatrolMarksRepository,
    private readonly scopes: ScopeService,
    private readonly policy: PatrolPolicy,
    private readonly clock: PatrolClock,
  ) {}

  async log(principal: Principal, q: PeriodQuery): Promise<RoundLogEntry[]> {
    await this.scopes.assertJurisdictionVisible(principal, q.jurisdictionId);
    return this.entries(q);
  }

  async fulfilment(principal: Principal, q: PeriodQuery): Promise<FulfilmentView & { from: string; to: string; children: FulfilmentView[] }> {
    await this.scopes.assertJurisdictionVisible(principal, q.jurisdictionId);
    assertPeriod(q);
    const tree = await this.scopes.tree();
    const now = this.clock.now();
    const routes = await this.routes.listExistingDuring([...tree.subtreeIds(q.jurisdictionId)], q.from, q.to);
    const rounds = new Map((await this.rounds.summariesPlannedIn(routes.map((r) => r.id), q.from, q.to)).map((r) => [`${r.routeId}@${r.plannedAt.getTime()}`, r]));
    const byNode = new Map<string, FulfilmentCounts>();
    for (const route of routes) {
      let counts = byNode.get(route.jurisdictionId) ?? zeroCounts();
      for (const at of this.plannedTimes(route, q)) {
        const r = rounds.get(`${route.id}@${at}`);
        const facts = r && { plannedAtMs: at, startedAtMs: r.startedAt.getTime(), finishedAtMs: r.finishedAt?.getTime() ?? null, stopCount: r.stopCount, markedStops: r.markedStops };
        counts = addOutcome(counts, classifySlot(at, facts, this.policy.rules, now));
      }
      byNode.set(route.jurisdictionId, counts);
    }
    const view = (id: string): FulfilmentView => {
      const counts = rollUpFulfilment(tree, id, byNode);
      return { jurisdictionId: id, name: tree.get(id)!.name, rate: fulfilmentRate(counts), counts };
    };
    return { ...view(q.jurisdictionId), from: q.from.toISOString(), to: q.to.toISOString(), children: tree.children(q.jurisdictionId).map((c) => view(c.id)) };
  }

  /** The route's planned times in the period while it existed (from its creation to its deletion). */
  private plannedTimes(route: PatrolRouteRecord, q: PeriodQuery): number[] {
    const fromMs = Math.max(q.from.getTime(), route.createdAt.getTime());
    const toMs = Math.min(q.to.getTime(), route.deletedAt?.getTime() ?? Infinity);
    return expandSchedule(route.schedule, { fromMs, toMs }, this.policy.timeZone);
  }

  private async entries(q: PeriodQuery): Promise<RoundLogEntry[]> {
    assertPeriod(q);
    const tree = await this.scopes.tree();
    const now = this.clock.now();
    const routes = await this.routes.listExistingDuring([...tree.subtreeIds(q.jurisdictionId)], q.from, q.to);
    const rounds = await this.rounds.listPlannedIn(routes.map((r) => r.id), q.from, q.to);
    const marks = await this.marks.listOf(rounds.map((r) => r.id));
    const roundOf = new Map(rounds.map((r) => [`${r.routeId}@${r.plannedAt.getTime()}`, r]));
    const out: RoundLogEntry[] = [];
    const entry = (route: (typeof routes)[number], plannedAtMs: number, planned: boolean) => {
      const round = roundOf.get(`${route.id}@${plannedAtMs}`);
      roundOf.delete(`${route.id}@${plannedAtMs}`);
      const view = round ? toRoundView(round, marks.filter((m) => m.roundId === round.id)) : null;
      const outcome = classifySlot(plannedAtMs, round && view ? { plannedAtMs, startedAtMs: round.startedAt.getTime(), finishedAtMs: round.finishedAt?.getTime() ?? null, stopCount: view.stops.length, markedStops: view.markedStops } : undefined, this.policy.rules, now);
      out.push({ routeId: route.id, routeName: route.name, jurisdictionId: route.jurisdictionId, plannedAt: new Date(plannedAtMs).toISOString(), planned, status: outcome.status, onTime: outcome.onTime, late: outcome.late, completed: outcome.completed, round: view });
    };
    for (const route of routes) for (const at of this.plannedTimes(route, q)) entry(route, at, true);
    // Rounds at no planned time of the current schedule: ad-hoc routes (outside the rate), or a schedule changed since.
    const routeById = new Map(routes.map((r) => [r.id, r]));
    for (const round of [...roundOf.values()]) entry(routeById.get(round.routeId)!, round.plannedAt.getTime(), false);
    return out.sort((a, b) => a.plannedAt.localeCompare(b.plannedAt) || a.routeName.localeCompare(b.routeName));
  }
}

function assertPeriod(q: PeriodQuery): void {
  if (q.to.getTime() <= q.from.getTime()) throw new TiergateError('VALIDATION_FAILED', 'to: must be after from', { fields: ['to'] });
  if (q.to.getTime() - q.from.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw new TiergateError('RANGE_TOO_LARGE', `the period is at most ${MAX_PERIOD_DAYS} days`);
}
