import { randomUUID } from 'node:crypto';
import type { Principal, ScopeService } from '@tiergate/access';
import { DEFAULT_PATROL_RULES, TiergateError } from '@tiergate/domain';
import type { CameraRepository, PatrolMarksRepository, PatrolRoundsRepository, PatrolRoutesRepository } from '@tiergate/persistence';
import { CAM_O, CAM_P, CAM_P2, CAM_S, D, FakeClock, FakeMarks, FakeRounds, FakeRoutes, fakeCameras, fakeEvents, fakeScopes, O, P, S } from './patrol.fakes';
import type { PatrolEvents } from './patrol.events';
import { PatrolLogService } from './patrol-log.service';
import type { PatrolClock, PatrolPolicy } from './patrol.policy';
import { PatrolRoundsService } from './patrol-rounds.service';
import { PatrolRoutesService } from './patrol-routes.service';

const sh = (iso: string) => new Date(`${iso}+08:00`);
const MIN = 60_000;
const policy = { timeZone: 'Asia/Shanghai', rules: DEFAULT_PATROL_RULES, effects: {} } as unknown as PatrolPolicy;
const stationOperator: Principal = { userId: randomUUID(), username: 's-op', role: 'operator', jurisdictionId: S };
const postViewer: Principal = { userId: randomUUID(), username: 'p-viewer', role: 'viewer', jurisdictionId: P };
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof TiergateError ? e.code : String(e)));

function setup(principal: Principal, nowIso = '2026-03-02T03:00') {
  const routes = new FakeRoutes();
  const rounds = new FakeRounds();
  const marks = new FakeMarks();
  rounds.marks = marks;
  const clock = new FakeClock(sh(nowIso).getTime());
  const scopes = fakeScopes(principal);
  const events = fakeEvents();
  const cameras = fakeCameras as unknown as CameraRepository;
  const routesService = new PatrolRoutesService(routes as unknown as PatrolRoutesRepository, cameras, scopes, events as unknown as PatrolEvents);
  const service = new PatrolRoundsService(rounds as unknown as PatrolRoundsRepository, marks as unknown as PatrolMarksRepository, routesService, cameras, scopes, events as unknown as PatrolEvents, policy, clock as unknown as PatrolClock);
  const log = new PatrolLogService(routes as unknown as PatrolRoutesRepository, rounds as unknown as PatrolRoundsRepository, marks as unknown as PatrolMarksRepository, scopes as ScopeService, policy, clock as unknown as PatrolClock);
  return { routes, rounds, marks, clock, events, routesService, service, log };
}

const nightly = { kind: 'interval' as const, everyMinutes: 120, from: '20:00', to: '06:00' };
const threeStops = [{ cameraId: CAM_S, dwellSeconds: 10 }, { jurisdictionId: P, dwellSeconds: 20 }, { tag: 'garage', dwellSeconds: 15 }];

describe('PatrolRoutesService (fakes)', () => {
  it("creates a route on the home node, audited; another station's camera or post is NOT_FOUND; a stop naming two things is VALIDATION_FAILED", async () => {
    const { routesService, events, routes } = setup(stationOperator);
    const view = await routesService.create(stationOperator, { name: 'night', stops: threeStops, schedule: nightly });
    expect(view).toMatchObject({ jurisdictionId: S, stops: threeStops, schedule: nightly });
    expect(events.audited).toHaveBeenCalledWith(stationOperator, 'patrol-route.create', 'patrol-route', view.id, expect.objectContaining({ name: 'night' }));
    expect(await code(routesService.create(stationOperator, { name: 'x', stops: [{ cameraId: CAM_O, dwellSeconds: 10 }], schedule: nightly }))).toBe('NOT_FOUND');
    expect(await code(routesService.create(stationOperator, { name: 'x', stops: [{ jurisdictionId: O, dwellSeconds: 10 }], schedule: nightly }))).toBe('NOT_FOUND');
    expect(await code(routesService.create(stationOperator, { name: 'x', jurisdictionId: O, stops: [{ tag: 'g', dwellSeconds: 10 }], schedule: nightly }))).toBe('NOT_FOUND');
    expect(await code(routesService.create(stationOperator, { name: 'x', jurisdictionId: P, stops: [{ cameraId: CAM_S, dwellSeconds: 10 }], schedule: nightly }))).toBe('VALIDATION_FAILED');
    expect(await code(routesService.create(stationOperator, { name: 'x', stops: [{ cameraId: CAM_S, tag: 'g', dwellSeconds: 10 }], schedule: nightly }))).toBe('VALIDATION_FAILED');
    expect(await code(routesService.create(stationOperator, { name: 'x', stops: [{ tag: 'g', dwellSeconds: 10 }], schedule: { kind: 'interval', everyMinutes: 60 } }))).toBe('VALIDATION_FAILED');
    expect(routes.rows).toHaveLength(1);
  });
});

describe('PatrolRoundsService and the log (fakes, Asia/Shanghai)', () => {
  async function route(s: ReturnType<typeof setup>) {
    const r = await s.routes.create({ name: 'night', jurisdictionId: S, stops: [{ kind: 'camera', cameraId: CAM_S, dwellSeconds: 10 }, { kind: 'jurisdiction', jurisdictionId: P, dwellSeconds: 20 }, { kind: 'tag', tag: 'garage', dwellSeconds: 15 }], schedule: nightly, createdBy: null });
    return r;
  }

  it('starts at a planned time only, resolves each stop to its cameras, refuses a second start (409), and names the late start', async () => {
    const s = setup(postViewer);
    const r = await route(s);
    expect(await code(s.service.start(postViewer, { routeId: r.id }))).toBe('NOT_FOUND'); // the post's viewer does not see the station's route
    const op = setup(stationOperator);
    const r2 = await route(op);
    expect(await code(op.service.start(stationOperator, { routeId: r2.id }))).toBe('VALIDATION_FAILED');
    expect(await code(op.service.start(stationOperator, { routeId: r2.id, plannedAt: sh('2026-03-02T03:00') }))).toBe('VALIDATION_FAILED');
    const round = await op.service.start(stationOperator, { routeId: r2.id, plannedAt: sh('2026-03-02T02:00') });
    expect(round.stops.map((x) => x.cameraIds)).toEqual([[CAM_S], [CAM_P, CAM_P2].sort(), [CAM_S, CAM_P2].sort()]);
    expect(round).toMatchObject({ plannedAt: sh('2026-03-02T02:00').toISOString(), startedAt: sh('2026-03-02T03:00').toISOString(), startedBy: 's-op', finishedAt: null });
    expect(op.events.audited).toHaveBeenCalledWith(stationOperator, 'patrol-round.start', 'patrol-round', round.id, expect.objectContaining({ late: true }));
    expect(op.events.round).toHaveBeenCalledWith(expect.objectContaining({ kind: 'started', roundId: round.id, jurisdictionId: S }));
    expect(await code(op.service.start(stationOperator, { routeId: r2.id, plannedAt: sh('2026-03-02T02:00') }))).toBe('CONFLICT');
  });

  it('marks: a camera of another stop is VALIDATION_FAILED; abnormal keeps the snapshot reference and is announced; after finish, unmarked stops are skipped and marks are CONFLICT', async () => {
    const s = setup(stationOperator, '2026-03-02T02:05');
    const r = await route(s);
    const round = await s.service.start(stationOperator, { routeId: r.id, plannedAt: sh('2026-03-02T02:00') });
    expect(await code(s.service.mark(stationOperator, round.id, { stopIndex: 0, cameraId: CAM_P, result: 'normal' }))).toBe('VALIDATION_FAILED');
    expect(await code(s.service.mark(stationOperator, round.id, { stopIndex: 5, cameraId: CAM_P, result: 'normal' }))).toBe('VALIDATION_FAILED');
    await s.service.mark(stationOperator, round.id, { stopIndex: 0, cameraId: CAM_S, result: 'normal' });
    const marked = await s.service.mark(stationOperator, round.id, { stopIndex: 1, cameraId: CAM_P2, result: 'abnormal', note: ' gate open ' });
    expect(marked.stops[1].marks).toEqual([expect.objectContaining({ result: 'abnormal', note: 'gate open', snapshotUrl: `/api/cameras/${CAM_P2}/snapshot`, markedBy: 's-op' })]);
    expect(s.events.round).toHaveBeenCalledWith(expect.objectContaining({ kind: 'abnormal-mark', stopIndex: 1, cameraId: CAM_P2, note: 'gate open' }));
    expect(s.events.alarm).not.toHaveBeenCalled();
    // raiseAlarm: the alarms module is asked for a patrol alarm with the note and the round; on a normal mark it is ignored
    await s.service.mark(stationOperator, round.id, { stopIndex: 1, cameraId: CAM_P2, result: 'abnormal', note: ' gate open ', raiseAlarm: true });
    expect(s.events.alarm).toHaveBeenCalledWith({ cameraId: CAM_P2, roundId: round.id, stopIndex: 1, note: 'gate open', markedBy: 's-op', at: new Date(s.clock.ms) });
    expect(s.events.audited).toHaveBeenCalledWith(stationOperator, 'patrol-round.mark', 'patrol-round', round.id, expect.objectContaining({ result: 'abnormal', raiseAlarm: true }));
    await s.service.mark(stationOperator, round.id, { stopIndex: 0, cameraId: CAM_S, result: 'normal', raiseAlarm: true });
    expect(s.events.alarm).toHaveBeenCalledTimes(1);
    s.clock.ms += 10 * MIN;
    const done = await s.service.finish(stationOperator, round.id);
    expect(done).toMatchObject({ markedStops: 2, skippedStops: [2] });
    expect(s.events.round).toHaveBeenCalledWith(expect.objectContaining({ kind: 'finished', onTime: true, completed: false }));
    expect(await code(s.service.mark(stationOperator, round.id, { stopIndex: 2, cameraId: CAM_S, result: 'normal' }))).toBe('CONFLICT');
    expect(await code(s.service.finish(stationOperator, round.id))).toBe('CONFLICT');
  });

  it('the log and the rate of one night: 6 planned; 22:00 on time and complete, 00:00 late, the rest missed or pending; roll-up to the district', async () => {
    const s = setup(stationOperator, '2026-03-01T22:10');
    const r = await route(s);
    const good = await s.service.start(stationOperator, { routeId: r.id, plannedAt: sh('2026-03-01T22:00') });
    for (const [i, cam] of [[0, CAM_S], [1, CAM_P], [2, CAM_P2]] as const) await s.service.mark(stationOperator, good.id, { stopIndex: i, cameraId: cam, result: 'normal' });
    await s.service.finish(stationOperator, good.id);
    s.clock.ms = sh('2026-03-02T00:30').getTime();
    const late = await s.service.start(stationOperator, { routeId: r.id, plannedAt: sh('2026-03-02T00:00') });
    for (const [i, cam] of [[0, CAM_S], [1, CAM_P], [2, CAM_S]] as const) await s.service.mark(stationOperator, late.id, { stopIndex: i, cameraId: cam, result: 'normal' });
    await s.service.finish(stationOperator, late.id);
    s.clock.ms = sh('2026-03-02T04:30').getTime();
    const period = { jurisdictionId: D, from: sh('2026-03-01T12:00'), to: sh('2026-03-02T12:00') };
    const log = await s.log.log(stationOperator, { ...period, jurisdictionId: S });
    expect(log.map((e) => [e.plannedAt.slice(11, 16), e.status, e.onTime, e.completed])).toEqual([
      ['12:00', 'missed', null, null], // 20:00 local: no round, 60 min past
      ['14:00', 'finished', true, true],
      ['16:00', 'finished', false, true],
      ['18:00', 'missed', null, null],
      ['20:00', 'pending', null, null], // 04:00 local, only 30 min ago
      ['22:00', 'pending', null, null],
    ]);
    const district = await s.log.fulfilment({ ...stationOperator, jurisdictionId: null, role: 'admin' }, period);
    expect(district).toMatchObject({ jurisdictionId: D, rate: 0.25, counts: { planned: 4, fulfilled: 1, missed: 2, late: 1, incomplete: 0, pending: 2 } });
    expect(district.children.map((c) => [c.name, c.rate]).sort()).toEqual([['O', null], ['S', 0.25]]);
    expect(await code(s.log.fulfilment(stationOperator, { ...period, jurisdictionId: O }))).toBe('NOT_FOUND');
  });
});
