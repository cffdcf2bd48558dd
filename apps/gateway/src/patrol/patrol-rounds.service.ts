import { Injectable } from '@nestjs/common';
import { Principal, scopeAllowsJurisdiction, ScopeService } from '@tiergate/access';
import { classifySlot, isCompleted, isOnTime, isPlannedTime, isUuid, JurisdictionTree, notFound, patrolMarkRaisesAlarm, TiergateError, type PatrolStop } from '@tiergate/domain';
import { CameraRepository, PatrolMarksRepository, PatrolRoundRecord, PatrolRoundsRepository, PatrolRouteRecord, RoundStop } from '@tiergate/persistence';
import type { MarkStopDto, StartRoundDto } from './patrol.dto';
import { PatrolEvents } from './patrol.events';
import { PatrolClock, PatrolPolicy } from './patrol.policy';
import { PatrolRoutesService } from './patrol-routes.service';
import { RoundView, toRoundView } from './patrol.view';

const invalid = (field: string, message: string) => new TiergateError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [field] });

/**
 * Running patrol rounds (docs/methods.md, "Patrol rounds: on time, completed, missed"): start a round of a route
 * in scope (any role: post officers patrol), mark its stops' cameras, finish it. A round of an interval route
 * names one of its planned times; a second start for the same time is 409. Marks and finish are open to
 * anyone who sees the route's node; a finished round takes no more marks (409). An abnormal mark with `raiseAlarm`
 * also raises a `patrol` alarm for the camera (recorded by the alarms module, docs/alarms.md "Patrol alarms").
 */
@Injectable()
export class PatrolRoundsService {
  constructor(
    private readonly rounds: PatrolRoundsRepository,
    private readonly marks: PatrolMarksRepository,
    private readonly routes: PatrolRoutesService,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    private readonly events: PatrolEvents,
    private readonly policy: PatrolPolicy,
    private readonly clock: PatrolClock,
  ) {}

  async start(principal: Principal, dto: StartRoundDto): Promise<RoundView> {
    const route = await this.routes.visible(principal, dto.routeId);
    const now = this.clock.now();
    let plannedAt = dto.plannedAt?.getTime();
    if (route.schedule.kind === 'interval') {
      if (plannedAt === undefined) throw invalid('plannedAt', 'required for a round of an interval route');
      if (!isPlannedTime(route.schedule, plannedAt, this.policy.timeZone)) throw invalid('plannedAt', "not one of the route's planned times");
    }
    plannedAt ??= now;
    const stops = await this.resolveStops(route, await this.scopes.tree());
    const round = await this.rounds.create({ routeId: route.id, jurisdictionId: route.jurisdictionId, plannedAt: new Date(plannedAt), startedAt: new Date(now), startedBy: principal.userId, startedByName: principal.username, stops });
    if (!round) throw new TiergateError('CONFLICT', 'this planned round was already started');
    const late = !isOnTime(plannedAt, now, this.policy.rules) && now > plannedAt;
    await this.events.audited(principal, 'patrol-round.start', 'patrol-round', round.id, { routeId: route.id, plannedAt: round.plannedAt.toISOString(), late });
    await this.events.round({ kind: 'started', roundId: round.id, routeId: route.id, jurisdictionId: route.jurisdictionId, plannedAt: round.plannedAt.toISOString(), by: principal.username, at: new Date(now).toISOString() });
    return toRoundView(round, []);
  }

  async mark(principal: Principal, id: string, dto: MarkStopDto): Promise<RoundView> {
    const round = await this.visibleRound(principal, id);
    if (round.finishedAt) throw new TiergateError('CONFLICT', 'the round is finished');
    const stop = round.stops[dto.stopIndex];
    if (!stop) throw invalid('stopIndex', `the round has ${round.stops.length} stops`);
    if (!stop.cameraIds.includes(dto.cameraId)) throw invalid('cameraId', 'not a camera of that stop');
    const now = new Date(this.clock.now());
    // The snapshot of an abnormal mark is a reference to the camera's snapshot endpoint at the mark's time (markedAt).
    const snapshotUrl = dto.result === 'abnormal' ? `/api/cameras/${dto.cameraId}/snapshot` : null;
    const note = dto.note?.trim() || null;
    await this.marks.upsert({ roundId: round.id, stopIndex: dto.stopIndex, cameraId: dto.cameraId, result: dto.result, note, snapshotUrl, markedBy: principal.userId, markedByName: principal.username, markedAt: now });
    const raiseAlarm = patrolMarkRaisesAlarm(dto);
    await this.events.audited(principal, 'patrol-round.mark', 'patrol-round', round.id, { stopIndex: dto.stopIndex, cameraId: dto.cameraId, result: dto.result, note, ...(raiseAlarm ? { raiseAlarm } : {}) });
    if (raiseAlarm) await this.events.alarm({ cameraId: dto.cameraId, roundId: round.id, stopIndex: dto.stopIndex, note, markedBy: principal.username, at: now });
    if (dto.result === 'abnormal') {
      await this.events.round({ kind: 'abnormal-mark', roundId: round.id, routeId: round.routeId, jurisdictionId: round.jurisdictionId, plannedAt: round.plannedAt.toISOString(), by: principal.username, stopIndex: dto.stopIndex, cameraId: dto.cameraId, ...(note ? { note } : {}), snapshotUrl: snapshotUrl!, at: now.toISOString() });
    }
    return toRoundView(round, await this.marks.listOf([round.id]));
  }

  async finish(principal: Principal, id: string): Promise<RoundView> {
    const round = await this.visibleRound(principal, id);
    const now = this.clock.now();
    const finished = await this.rounds.finish(round.id, principal.userId, new Date(now));
    if (!finished) throw new TiergateError('CONFLICT', 'the round is finished');
    const view = toRoundView(finished, await this.marks.listOf([round.id]));
    const onTime = isOnTime(finished.plannedAt.getTime(), finished.startedAt.getTime(), this.policy.rules);
    const completed = isCompleted(view.markedStops, view.stops.length, this.policy.rules);
    await this.events.audited(principal, 'patrol-round.finish', 'patrol-round', round.id, { onTime, completed, markedStops: view.markedStops, stops: view.stops.length, skippedStops: view.skippedStops });
    await this.events.round({ kind: 'finished', roundId: round.id, routeId: round.routeId, jurisdictionId: round.jurisdictionId, plannedAt: round.plannedAt.toISOString(), by: principal.username, onTime, completed, at: new Date(now).toISOString() });
    return view;
  }

  async get(principal: Principal, id: string): Promise<RoundView & { onTime: boolean; completed: boolean | null }> {
    const round = await this.visibleRound(principal, id);
    const view = toRoundView(round, await this.marks.listOf([round.id]));
    const outcome = classifySlot(round.plannedAt.getTime(), { plannedAtMs: round.plannedAt.getTime(), startedAtMs: round.startedAt.getTime(), finishedAtMs: round.finishedAt?.getTime() ?? null, stopCount: view.stops.length, markedStops: view.markedStops }, this.policy.rules, this.clock.now());
    return { ...view, onTime: outcome.onTime!, completed: outcome.completed };
  }

  private async visibleRound(principal: Principal, id: string): Promise<PatrolRoundRecord> {
    const round = isUuid(id) ? await this.rounds.get(id) : undefined;
    if (!round || !scopeAllowsJurisdiction(await this.scopes.scopeOf(principal), round.jurisdictionId)) throw notFound('patrol round');
    return round;
  }

  /** Each stop with the cameras it stands for now: the camera, a post's subtree's cameras, or the route subtree's tagged cameras. */
  private async resolveStops(route: PatrolRouteRecord, tree: JurisdictionTree): Promise<RoundStop[]> {
    const all = await this.cameras.placementsWithTags();
    const under = (rootId: string) => all.filter((c) => c.jurisdictionId !== null && tree.has(c.jurisdictionId) && tree.isInSubtree(rootId, c.jurisdictionId));
    return route.stops.map((s: PatrolStop) => {
      const ids =
        s.kind === 'camera'
          ? all.some((c) => c.id === s.cameraId) ? [s.cameraId] : []
          : s.kind === 'jurisdiction'
            ? tree.has(s.jurisdictionId) ? under(s.jurisdictionId).map((c) => c.id) : []
            : under(route.jurisdictionId).filter((c) => c.tags.includes(s.tag)).map((c) => c.id);
      return { ...s, cameraIds: ids.sort() };
    });
  }
}
