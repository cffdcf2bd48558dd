import { randomUUID } from 'node:crypto';
import type { Principal, ScopeService } from '@tiergate/access';
import type { TiergateConfig } from '@tiergate/config';
import { JurisdictionTree, type JurisdictionNode, TiergateError } from '@tiergate/domain';
import type { CameraRepository, IncidentRepository, PopulationsRepository, StopChecksRepository, ViewSessionsRepository } from '@tiergate/persistence';
import { RateFiguresReader } from './rate-figures.reader';
import { RatesService } from './rates.service';

// district D → station S (posts P, Q) and station O
const [D, S, P, Q, O] = ['d', 's', 'p', 'q', 'o'].map(() => randomUUID());
const node = (id: string, code: string, parentId: string | null): JurisdictionNode => ({ id, code, name: code, tier: 't', parentId, boundary: null });
const tree = new JurisdictionTree([node(D, 'D', null), node(S, 'S', D), node(P, 'P', S), node(Q, 'Q', S), node(O, 'O', D)]);
const H = 3_600_000;
const FROM = Date.UTC(2026, 5, 1);
const TO = Date.UTC(2026, 5, 2); // one day: previous = 31 May, last year = 1 June 2025
const CAM_P = randomUUID();
const CAM_Q = randomUUID();
const CAM_O = randomUUID();

/** The rows the repositories would hold, filtered in memory as their SQL filters. */
const incidents = [
  { jurisdictionId: P, type: 'bike_theft', at: FROM + 1 * H },
  { jurisdictionId: P, type: 'bike_theft', at: FROM + 2 * H },
  { jurisdictionId: Q, type: 'robbery', at: FROM + 3 * H },
  { jurisdictionId: O, type: 'snatch', at: FROM + 4 * H },
  { jurisdictionId: P, type: 'bike_theft', at: FROM - 5 * H }, // previous day
  { jurisdictionId: P, type: 'bike_theft', at: TO }, // outside: the period is half-open
];
const checks = [
  { jurisdictionId: P, result: 'captured', at: FROM + H },
  { jurisdictionId: Q, result: 'not_captured', at: FROM + H },
  { jurisdictionId: Q, result: 'referred', at: FROM + H },
  { jurisdictionId: O, result: 'captured', at: FROM - H },
];
const sessions = [
  { cameraId: CAM_P, startedAt: FROM + 1 * H, endedAt: FROM + 4 * H },
  { cameraId: CAM_P, startedAt: FROM + 3 * H, endedAt: FROM + 6 * H }, // overlaps: P watched 5 h
  { cameraId: CAM_O, startedAt: TO - 1 * H, endedAt: TO + 5 * H }, // 1 h inside
];

const fakeIncidents: Pick<IncidentRepository, 'countsPerJurisdictionAndType'> = {
  async countsPerJurisdictionAndType(periods) {
    const counts = new Map<string, { period: number; jurisdictionId: string; type: string; count: number }>();
    periods.forEach(({ from, to }, period) => {
      for (const i of incidents.filter((x) => x.at >= from.getTime() && x.at < to.getTime())) {
        const key = `${period}/${i.jurisdictionId}/${i.type}`;
        counts.set(key, { period, jurisdictionId: i.jurisdictionId, type: i.type, count: (counts.get(key)?.count ?? 0) + 1 });
      }
    });
    return [...counts.values()];
  },
};
const fakeChecks: Pick<StopChecksRepository, 'countsPerJurisdiction'> = {
  async countsPerJurisdiction(periods) {
    const out = new Map<string, { period: number; jurisdictionId: string; checks: number; captures: number }>();
    periods.forEach(({ from, to }, period) => {
      for (const c of checks.filter((x) => x.at >= from.getTime() && x.at < to.getTime())) {
        const key = `${period}/${c.jurisdictionId}`;
        const row = out.get(key) ?? { period, jurisdictionId: c.jurisdictionId, checks: 0, captures: 0 };
        row.checks++;
        if (c.result === 'captured') row.captures++;
        out.set(key, row);
      }
    });
    return [...out.values()];
  },
};
const fakeSessions: Pick<ViewSessionsRepository, 'overlapping'> = {
  async overlapping(from, to) {
    return sessions.filter((s) => s.startedAt < to.getTime() && s.endedAt > from.getTime());
  },
};
const fakeCameras: Pick<CameraRepository, 'placementsWithTags'> = {
  async placementsWithTags() {
    return [
      { id: CAM_P, jurisdictionId: P, tags: [] },
      { id: CAM_Q, jurisdictionId: Q, tags: [] },
      { id: CAM_O, jurisdictionId: O, tags: [] },
      { id: randomUUID(), jurisdictionId: null, tags: [] }, // unplaced: counts nowhere
    ];
  },
};
const fakePopulations: Pick<PopulationsRepository, 'all'> = {
  async all() {
    return new Map([[P, 4000], [Q, 1000], [O, 0]]);
  },
};

/** ScopeService over the tree: the built-in admin sees all; a user its home subtree; anything else NOT_FOUND. */
const scopes = {
  tree: async () => tree,
  scopeOf: async (p: Principal) => ({ all: p.jurisdictionId === null && p.role === 'admin', jurisdictionIds: p.jurisdictionId ? tree.subtreeIds(p.jurisdictionId) : new Set<string>(), cameraIds: new Set<string>() }),
  assertJurisdictionVisible: async (p: Principal, id: string) => {
    if (!tree.has(id) || (p.jurisdictionId !== null && !tree.isInSubtree(p.jurisdictionId, id))) throw new TiergateError('NOT_FOUND', 'jurisdiction not found');
  },
} as unknown as ScopeService;

const config = { analysis: { preventableTypes: 'bike_theft, burglary,snatch' } } as TiergateConfig;
const reader = new RateFiguresReader(fakeIncidents as IncidentRepository, fakeChecks as StopChecksRepository, fakeSessions as ViewSessionsRepository, fakeCameras as CameraRepository, fakePopulations as PopulationsRepository);
const service = new RatesService(scopes, reader, config);
const admin: Principal = { userId: randomUUID(), username: 'admin', role: 'admin', jurisdictionId: null } as Principal;
const stationAnalyst: Principal = { userId: randomUUID(), username: 'a', role: 'analyst', jurisdictionId: S } as Principal;
const LATER = TO + 365 * 24 * H;

describe('RatesService', () => {
  it('rolls each rate up over the subtree by summing numerators and denominators', async () => {
    const r = await service.rates(admin, { from: new Date(FROM), to: new Date(TO) }, LATER);
    expect(r.previousPeriod).toEqual({ from: '2026-05-31T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' });
    expect(r.preventableTypes).toEqual(['bike_theft', 'burglary', 'snatch']);
    const d = r.children[0];
    expect(d.jurisdiction?.id).toBe(D);
    expect(d.incidentDecline.find((x) => x.type === 'all')).toEqual({ type: 'all', current: 4, previousPeriod: { count: 1, rate: { value: -3 } }, samePeriodLastYear: { count: 0, rate: { value: null, reason: 'NO_INCIDENTS_IN_COMPARISON_PERIOD' } } });
    // D's population: S (4000 + 1000) + O (0) = 5000; 3 preventable (2 bike thefts, 1 snatch)
    expect(d.preventableCases).toMatchObject({ population: 5000, current: { cases: 3, per10k: { value: 6 } } });
    expect(d.stopCheckCapture.current).toEqual({ checks: 3, captures: 1, rate: { value: 1 / 3 } });
    // 3 cameras × 24 h; P watched 5 h, O 1 h
    expect(d.monitoring.current).toMatchObject({ cameras: 3, watchedCameras: 2, cameraShare: { value: 2 / 3 }, watchedHours: 6, cameraHours: 72, hourShare: { value: 6 / 72 } });
  });

  it('answers a station and its posts for its analyst by default; a population of 0 is null with the reason', async () => {
    const r = await service.rates(stationAnalyst, { from: new Date(FROM), to: new Date(TO) }, LATER);
    expect(r.node.jurisdiction?.id).toBe(S);
    expect(r.children.map((c) => c.jurisdiction?.id)).toEqual([P, Q]);
    expect(r.node.stopCheckCapture.current).toEqual({ checks: 3, captures: 1, rate: { value: 1 / 3 } });
    expect(r.children[1].monitoring.current).toMatchObject({ cameras: 1, watchedCameras: 0, hourShare: { value: 0 } });
    const o = await service.rates(admin, { jurisdictionId: O, from: new Date(FROM), to: new Date(TO) }, LATER);
    expect(o.node.preventableCases.current.per10k).toEqual({ value: null, reason: 'NO_POPULATION' });
  });

  it('measures a running period only up to now', async () => {
    const r = await service.rates(admin, { jurisdictionId: P, from: new Date(FROM), to: new Date(TO) }, FROM + 2 * H);
    // P's camera watched from 1 h; now is 2 h into the day: 1 h of 2
    expect(r.node.monitoring.current).toMatchObject({ measured: { from: '2026-06-01T00:00:00.000Z', to: '2026-06-01T02:00:00.000Z' }, watchedHours: 1, cameraHours: 2, hourShare: { value: 0.5 } });
    const future = await service.rates(admin, { jurisdictionId: P, from: new Date(FROM), to: new Date(TO) }, FROM - H);
    expect(future.node.monitoring.current.hourShare).toEqual({ value: null, reason: 'PERIOD_NOT_STARTED' });
  });

  it('another station is NOT_FOUND exactly like a missing node; a reversed period is VALIDATION_FAILED', async () => {
    await expect(service.rates(stationAnalyst, { jurisdictionId: O, from: new Date(FROM), to: new Date(TO) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.rates(stationAnalyst, { jurisdictionId: randomUUID(), from: new Date(FROM), to: new Date(TO) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.rates(admin, { from: new Date(TO), to: new Date(FROM) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
