import { randomUUID } from 'node:crypto';
import type { Principal, Scope, ScopeService } from '@tiergate/access';
import { JurisdictionTree, notFound, type JurisdictionNode } from '@tiergate/domain';
import type { AlertLevelRecord, NewPatrolMark, NewPatrolRound, NewPatrolRoute, PatrolMarkRecord, PatrolRoundRecord, PatrolRouteRecord, PatrolRoutePatch } from '@tiergate/persistence';

/** In-memory stand-ins of the patrol repositories, the scope service and the clock, for the service specs. */

// district D → station S (post P under it) and station O
export const [D, S, P, O] = ['d', 's', 'p', 'o'].map(() => randomUUID());
const node = (id: string, name: string, parentId: string | null): JurisdictionNode => ({ id, code: name, name, tier: 't', parentId, boundary: null });
export const tree = new JurisdictionTree([node(D, 'D', null), node(S, 'S', D), node(P, 'P', S), node(O, 'O', D)]);
export const CAM_S = randomUUID();
export const CAM_P = randomUUID();
export const CAM_P2 = randomUUID();
export const CAM_O = randomUUID();
export const cameraRows = [
  { id: CAM_S, jurisdictionId: S, tags: ['garage'] },
  { id: CAM_P, jurisdictionId: P, tags: [] },
  { id: CAM_P2, jurisdictionId: P, tags: ['garage'] },
  { id: CAM_O, jurisdictionId: O, tags: ['garage'] },
];

export const fakeCameras = {
  placementsOf: async (ids: readonly string[]) => cameraRows.filter((c) => ids.includes(c.id)).map(({ id, jurisdictionId }) => ({ id, jurisdictionId })),
  placementsWithTags: async () => cameraRows,
};

/** The scope of each caller from its home node (no grants), as ScopeService answers it. */
export function fakeScopes(_principal?: Principal): ScopeService {
  const scopeOf = (p: Principal): Scope => ({ all: p.jurisdictionId === null, jurisdictionIds: p.jurisdictionId ? new Set(tree.subtreeIds(p.jurisdictionId)) : new Set(), cameraIds: new Set() });
  return {
    scopeOf: async (p: Principal) => scopeOf(p),
    administeredJurisdictionIds: async (p: Principal) => (p.jurisdictionId ? tree.subtreeIds(p.jurisdictionId) : undefined),
    tree: async () => tree,
    assertJurisdictionVisible: async (p: Principal, id: string) => {
      const scope = scopeOf(p);
      if (!tree.has(id) || (!scope.all && !scope.jurisdictionIds.has(id))) throw notFound('jurisdiction');
    },
  } as unknown as ScopeService;
}

export class FakeRoutes {
  readonly rows: PatrolRouteRecord[] = [];
  async create(r: NewPatrolRoute, createdAt = new Date(0)) {
    const row = { ...r, id: randomUUID(), createdAt, updatedAt: createdAt, deletedAt: null };
    this.rows.push(row);
    return row;
  }
  async get(id: string) {
    return this.rows.find((r) => r.id === id && !r.deletedAt);
  }
  async list(ids?: readonly string[]) {
    return this.rows.filter((r) => !r.deletedAt && (!ids || ids.includes(r.jurisdictionId)));
  }
  async listExistingDuring(ids: readonly string[] | undefined, from: Date, to: Date) {
    return this.rows.filter((r) => r.createdAt < to && (!r.deletedAt || r.deletedAt > from) && (!ids || ids.includes(r.jurisdictionId)));
  }
  async update(id: string, p: PatrolRoutePatch) {
    const row = await this.get(id);
    return row && Object.assign(row, p);
  }
  async softDelete(id: string) {
    const row = await this.get(id);
    if (row) row.deletedAt = new Date();
    return !!row;
  }
}

export class FakeRounds {
  readonly rows: PatrolRoundRecord[] = [];
  async create(r: NewPatrolRound) {
    if (this.rows.some((x) => x.routeId === r.routeId && x.plannedAt.getTime() === r.plannedAt.getTime())) return undefined;
    const row = { ...r, id: randomUUID(), finishedAt: null, finishedBy: null };
    this.rows.push(row);
    return row;
  }
  async get(id: string) {
    return this.rows.find((r) => r.id === id);
  }
  async finish(id: string, by: string | null, at: Date) {
    const row = this.rows.find((r) => r.id === id && !r.finishedAt);
    return row && Object.assign(row, { finishedAt: at, finishedBy: by });
  }
  /** Needs the marks for the marked-stop count, as the SQL reads patrol_marks. */
  marks?: FakeMarks;
  async summariesPlannedIn(routeIds: readonly string[], from: Date, to: Date) {
    const rows = await this.listPlannedIn(routeIds, from, to);
    return Promise.all(rows.map(async (r) => ({ id: r.id, routeId: r.routeId, plannedAt: r.plannedAt, startedAt: r.startedAt, finishedAt: r.finishedAt, stopCount: r.stops.length, markedStops: new Set((await this.marks!.listOf([r.id])).map((m) => m.stopIndex)).size })));
  }
  async listPlannedIn(routeIds: readonly string[], from: Date, to: Date) {
    return this.rows.filter((r) => routeIds.includes(r.routeId) && r.plannedAt >= from && r.plannedAt < to);
  }
}

export class FakeMarks {
  readonly rows: PatrolMarkRecord[] = [];
  async upsert(m: NewPatrolMark) {
    const i = this.rows.findIndex((x) => x.roundId === m.roundId && x.stopIndex === m.stopIndex && x.cameraId === m.cameraId);
    const row = { ...m, id: randomUUID() };
    if (i >= 0) this.rows[i] = row;
    else this.rows.push(row);
    return row;
  }
  async listOf(ids: readonly string[]) {
    return this.rows.filter((m) => ids.includes(m.roundId));
  }
}

export class FakeAlertLevels {
  readonly rows = new Map<string, AlertLevelRecord>();
  async set(r: AlertLevelRecord) {
    this.rows.set(r.jurisdictionId, r);
    return r;
  }
  async all() {
    return [...this.rows.values()];
  }
}

export class FakeClock {
  constructor(public ms: number) {}
  now() {
    return this.ms;
  }
}

export const fakeEvents = () => ({ audited: jest.fn(async () => undefined), round: jest.fn(async () => undefined), alarm: jest.fn(async () => undefined), alertLevel: jest.fn(async () => undefined) });
