import { Injectable } from '@nestjs/common';
import { Principal, scopeAllowsJurisdiction, ScopeService } from '@tiergate/access';
import { isUuid, notFound, TiergateError, type PatrolSchedule, type PatrolStop } from '@tiergate/domain';
import { CameraRepository, PatrolRoutePatch, PatrolRouteRecord, PatrolRoutesRepository } from '@tiergate/persistence';
import type { CreatePatrolRouteDto, PatrolScheduleDto, PatrolStopDto, UpdatePatrolRouteDto } from './patrol.dto';
import { PatrolEvents } from './patrol.events';
import { PatrolRouteView, toRouteView, toSchedule, toStop } from './patrol.view';

const invalid = (field: string, message: string) => new TiergateError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [field] });
type Administered = ReadonlySet<string> | undefined;
const administers = (a: Administered, id: string | null) => a === undefined || (id !== null && a.has(id));

/**
 * Patrol routes (docs/methods.md, "Patrol rounds"). Anyone lists the routes of the nodes in their scope;
 * `admin` and `operator` write routes of nodes in their home subtree. A route, node or camera outside it is
 * 404 like a missing one; a visible camera or post outside the route's own subtree is 400.
 */
@Injectable()
export class PatrolRoutesService {
  constructor(
    private readonly routes: PatrolRoutesRepository,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    private readonly events: PatrolEvents,
  ) {}

  async list(principal: Principal, jurisdictionId?: string): Promise<PatrolRouteView[]> {
    const scope = await this.scopes.scopeOf(principal);
    let ids: string[] | undefined = scope.all ? undefined : [...scope.jurisdictionIds];
    if (jurisdictionId !== undefined) {
      await this.scopes.assertJurisdictionVisible(principal, jurisdictionId);
      const subtree = (await this.scopes.tree()).subtreeIds(jurisdictionId);
      ids = [...subtree].filter((id) => scopeAllowsJurisdiction(scope, id));
    }
    return (await this.routes.list(ids)).filter((r) => scopeAllowsJurisdiction(scope, r.jurisdictionId)).map(toRouteView);
  }

  /** A live route in the caller's scope (read), else 404. */
  async visible(principal: Principal, id: string): Promise<PatrolRouteRecord> {
    const route = isUuid(id) ? await this.routes.get(id) : undefined;
    if (!route || !scopeAllowsJurisdiction(await this.scopes.scopeOf(principal), route.jurisdictionId)) throw notFound('patrol route');
    return route;
  }

  async get(principal: Principal, id: string): Promise<PatrolRouteView> {
    return toRouteView(await this.visible(principal, id));
  }

  async create(principal: Principal, dto: CreatePatrolRouteDto): Promise<PatrolRouteView> {
    const jurisdictionId = dto.jurisdictionId ?? principal.jurisdictionId;
    if (jurisdictionId === null) throw invalid('jurisdictionId', 'required for an account without a home jurisdiction');
    const route = { name: dto.name.trim(), jurisdictionId, stops: stopsOf(dto.stops), schedule: scheduleOf(dto.schedule) };
    await this.assertWritable(principal, route);
    const saved = await this.routes.create({ ...route, createdBy: principal.userId });
    await this.events.audited(principal, 'patrol-route.create', 'patrol-route', saved.id, { ...toRouteView(saved) });
    return toRouteView(saved);
  }

  async update(principal: Principal, id: string, dto: UpdatePatrolRouteDto): Promise<PatrolRouteView> {
    const current = await this.administered(principal, id);
    const next: PatrolRoutePatch = {
      name: dto.name?.trim() ?? current.name,
      jurisdictionId: dto.jurisdictionId ?? current.jurisdictionId,
      stops: dto.stops ? stopsOf(dto.stops) : current.stops,
      schedule: dto.schedule ? scheduleOf(dto.schedule) : current.schedule,
    };
    await this.assertWritable(principal, next);
    const saved = await this.routes.update(id, next);
    if (!saved) throw notFound('patrol route');
    await this.events.audited(principal, 'patrol-route.update', 'patrol-route', id, { before: toRouteView(current), after: toRouteView(saved) });
    return toRouteView(saved);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const current = await this.administered(principal, id);
    if (await this.routes.softDelete(id)) await this.events.audited(principal, 'patrol-route.delete', 'patrol-route', id, { ...toRouteView(current) });
  }

  private async administered(principal: Principal, id: string): Promise<PatrolRouteRecord> {
    const route = isUuid(id) ? await this.routes.get(id) : undefined;
    if (!route || !administers(await this.scopes.administeredJurisdictionIds(principal), route.jurisdictionId)) throw notFound('patrol route');
    return route;
  }

  /** The node is administered by the caller; each camera or post stop lies in the route's subtree. */
  private async assertWritable(principal: Principal, route: { jurisdictionId: string; stops: PatrolStop[] }): Promise<void> {
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    const tree = await this.scopes.tree();
    if (!tree.has(route.jurisdictionId) || !administers(administered, route.jurisdictionId)) throw notFound('jurisdiction');
    const cameraIds = route.stops.flatMap((s) => (s.kind === 'camera' ? [s.cameraId] : []));
    const placed = new Map((await this.cameras.placementsOf(cameraIds)).map((c) => [c.id, c.jurisdictionId]));
    route.stops.forEach((s, i) => {
      if (s.kind === 'camera') {
        const at = placed.get(s.cameraId);
        if (at === undefined || !administers(administered, at)) throw notFound('camera');
        if (at === null || !tree.isInSubtree(route.jurisdictionId, at)) throw invalid(`stops.${i}.cameraId`, "the camera lies outside the route's jurisdiction");
      } else if (s.kind === 'jurisdiction') {
        if (!tree.has(s.jurisdictionId) || !administers(administered, s.jurisdictionId)) throw notFound('jurisdiction');
        if (!tree.isInSubtree(route.jurisdictionId, s.jurisdictionId)) throw invalid(`stops.${i}.jurisdictionId`, "the post lies outside the route's jurisdiction");
      }
    });
  }
}

function stopsOf(dtos: readonly PatrolStopDto[]): PatrolStop[] {
  return dtos.map((d, i) => {
    const stop = toStop(d);
    if (typeof stop === 'string') throw invalid(`stops.${i}`, stop);
    return stop;
  });
}

function scheduleOf(dto: PatrolScheduleDto): PatrolSchedule {
  const schedule = toSchedule(dto);
  if (typeof schedule === 'string') throw invalid('schedule', schedule);
  return schedule;
}
