import { randomUUID } from 'node:crypto';
import { Topics, type AlertLevelMessage, type PatrolRoundMessage } from '@tiergate/contracts';
import { districtCode, generateDistrict } from '@tiergate/domain';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { PartitionerModule } from '../../apps/partitioner/src/partitioner.module';
import { districtNodes, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

const district = generateDistrict({ stations: 2, postsPerStation: 1, sizeKm: 2, seed: 11 });
const R = '210103';
const MIN = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** HH:MM of an instant in Asia/Shanghai (UTC+8, no DST). */
const shClock = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);

/**
 * A full patrol round through the API (docs/methods.md): a station route planned every hour over the last two
 * hours (N-120, N-60, N in Shanghai time); N-120 is never started (missed after the configured 90 min), N-60 is
 * started late, one stop marked abnormal, one stop skipped, finished; N is run on time and complete. The duty
 * fulfilment rate is then 1/3 for the station and the district, null for the other station. An alert level
 * raised by station 1 is refused for station 2 (404 like missing) and shows in station 1's post's alert-effects.
 */
describe('video patrol and alert levels (API, audit, MQTT)', () => {
  let tg: TestProcess;
  let ids: Map<string, string>;
  let s1op: string;
  let s2op: string;
  let viewer: string;
  let admin: string;
  const cam: Record<string, string> = {};
  const roundEvents: PatrolRoundMessage[] = [];
  const alertEvents: AlertLevelMessage[] = [];
  const N = Math.floor(Date.now() / MIN) * MIN;
  const period = { from: new Date(N - 150 * MIN).toISOString(), to: new Date(N + MIN).toISOString() };
  let routeId: string;

  const root = () => ids.get(districtCode(R))!;
  const station1 = () => ids.get(districtCode(R, 1))!;
  const post1 = () => ids.get(districtCode(R, 1, 1))!;
  const station2 = () => ids.get(districtCode(R, 2))!;
  const q = (jurisdictionId: string) => `jurisdictionId=${jurisdictionId}&from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'tiergate', modules: [PartitionerModule, GatewayModule], http: true }, { 'patrol.missedAfterMinutes': 90 });
    ids = await seedJurisdictions(tg, districtNodes(district));
    admin = await tg.login();
    s1op = await userToken(tg, admin, 'station1-operator', 'operator', station1());
    s2op = await userToken(tg, admin, 'station2-operator', 'operator', station2());
    viewer = await userToken(tg, admin, 'post1-viewer', 'viewer', post1());
    const ds = tg.running.infra.database.dataSource;
    for (const [name, node, tags] of [
      ['gate-s1', station1(), ['gate']],
      ['lane-p1', post1(), []],
      ['garage-p1', post1(), ['garage']],
      ['garage-s2', station2(), ['garage']],
    ] as const) {
      cam[name] = randomUUID();
      await ds.query(`INSERT INTO cameras (id, name, "jurisdictionId", tags) VALUES ($1, $2, $3, $4)`, [cam[name], name, node, tags]);
    }
    await tg.running.infra.bus.subscribe(Topics.patrolRoundAll, (_t, p) => void roundEvents.push(p as PatrolRoundMessage));
    await tg.running.infra.bus.subscribe(Topics.alertLevelAll, (_t, p) => void alertEvents.push(p as AlertLevelMessage));
  });
  afterAll(async () => {
    await tg?.running.infra.bus.clearRetained(Topics.alertLevel(station1())).catch(() => undefined);
    await tg?.stop();
  });

  it('a station operator creates a route (camera, post, tag stops; hourly over the last two hours); a viewer may not (403); bad stops are 400', async () => {
    const body = {
      name: 'evening round',
      stops: [{ cameraId: cam['gate-s1'], dwellSeconds: 10 }, { jurisdictionId: post1(), dwellSeconds: 20 }, { tag: 'garage', dwellSeconds: 15 }],
      schedule: { kind: 'interval', everyMinutes: 60, from: shClock(N - 120 * MIN), to: shClock(N) },
    };
    expect((await tg.call('POST', '/api/patrol/routes', { token: viewer, body })).status).toBe(403);
    expect((await tg.call('POST', '/api/patrol/routes', { token: s1op, body: { ...body, stops: [{ dwellSeconds: 10 }] } })).status).toBe(400);
    expect((await tg.call('POST', '/api/patrol/routes', { token: s1op, body: { ...body, stops: [{ tag: 'g', dwellSeconds: 1 }] } })).status).toBe(400);
    expect((await tg.call('POST', '/api/patrol/routes', { token: s1op, body: { ...body, stops: [{ cameraId: cam['garage-s2'], dwellSeconds: 10 }] } })).status).toBe(404);
    const res = await tg.call('POST', '/api/patrol/routes', { token: s1op, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'evening round', jurisdictionId: station1(), stops: body.stops, schedule: body.schedule });
    routeId = res.body.id;
    // The route has existed since yesterday, so the last two hours' planned times count.
    await tg.running.infra.database.dataSource.query(`UPDATE patrol_routes SET "createdAt" = now() - interval '1 day' WHERE id = $1`, [routeId]);
    expect((await tg.call('GET', `/api/patrol/routes/${routeId}`, { token: s2op })).status).toBe(404);
  });

  it('the plan for the period: three planned times, the first already missed (90 min), the others pending', async () => {
    const res = await tg.call('GET', `/api/patrol/rounds?${q(station1())}`, { token: s1op });
    expect(res.status).toBe(200);
    expect(res.body.map((e: any) => [e.plannedAt, e.status])).toEqual([
      [new Date(N - 120 * MIN).toISOString(), 'missed'],
      [new Date(N - 60 * MIN).toISOString(), 'pending'],
      [new Date(N).toISOString(), 'pending'],
    ]);
  });

  let lateRound: string;

  it('a round started an hour late: marks with one abnormal (snapshot reference, MQTT), one stop skipped, finished', async () => {
    expect((await tg.call('POST', '/api/patrol/rounds', { token: s1op, body: { routeId, plannedAt: new Date(N - 30 * MIN).toISOString() } })).status).toBe(400);
    const started = await tg.call('POST', '/api/patrol/rounds', { token: s1op, body: { routeId, plannedAt: new Date(N - 60 * MIN).toISOString() } });
    expect(started.status).toBe(201);
    lateRound = started.body.id;
    expect(started.body.stops.map((s: any) => s.cameraIds)).toEqual([[cam['gate-s1']], [cam['lane-p1'], cam['garage-p1']].sort(), [cam['garage-p1']]]);
    expect((await tg.call('POST', '/api/patrol/rounds', { token: s1op, body: { routeId, plannedAt: new Date(N - 60 * MIN).toISOString() } })).status).toBe(409);
    const mark = (body: object) => tg.call('POST', `/api/patrol/rounds/${lateRound}/marks`, { token: s1op, body });
    expect((await mark({ stopIndex: 0, cameraId: cam['gate-s1'], result: 'normal' })).status).toBe(200);
    const abnormal = await mark({ stopIndex: 1, cameraId: cam['lane-p1'], result: 'abnormal', note: 'a van parked across the lane' });
    expect(abnormal.status).toBe(200);
    expect(abnormal.body.stops[1].marks[0]).toMatchObject({ result: 'abnormal', note: 'a van parked across the lane', snapshotUrl: `/api/cameras/${cam['lane-p1']}/snapshot`, markedBy: 'station1-operator' });
    expect((await mark({ stopIndex: 2, cameraId: cam['gate-s1'], result: 'normal' })).status).toBe(400);
    expect((await mark({ stopIndex: 0, cameraId: cam['gate-s1'], result: 'odd' })).status).toBe(400);
    const finished = await tg.call('POST', `/api/patrol/rounds/${lateRound}/finish`, { token: s1op });
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ markedStops: 2, skippedStops: [2], startedBy: 'station1-operator' });
    expect((await mark({ stopIndex: 2, cameraId: cam['garage-p1'], result: 'normal' })).status).toBe(409);
    const detail = await tg.call('GET', `/api/patrol/rounds/${lateRound}`, { token: s1op });
    expect(detail.body).toMatchObject({ onTime: false, completed: false, plannedAt: new Date(N - 60 * MIN).toISOString() });
    expect((await tg.call('GET', `/api/patrol/rounds/${lateRound}`, { token: s2op })).status).toBe(404);
  });

  it('a round on time with every stop marked, then the log and the fulfilment rate: 1 of 3 for the station and the district, null elsewhere', async () => {
    const started = await tg.call('POST', '/api/patrol/rounds', { token: s1op, body: { routeId, plannedAt: new Date(N).toISOString() } });
    expect(started.status).toBe(201);
    for (const [stopIndex, cameraId] of [[0, cam['gate-s1']], [1, cam['garage-p1']], [2, cam['garage-p1']]] as const) {
      expect((await tg.call('POST', `/api/patrol/rounds/${started.body.id}/marks`, { token: s1op, body: { stopIndex, cameraId, result: 'normal' } })).status).toBe(200);
    }
    expect((await tg.call('POST', `/api/patrol/rounds/${started.body.id}/finish`, { token: s1op })).status).toBe(200);

    const log = await tg.call('GET', `/api/patrol/rounds?${q(station1())}`, { token: s1op });
    expect(log.body.map((e: any) => [e.status, e.onTime, e.late, e.completed])).toEqual([
      ['missed', null, null, null],
      ['finished', false, true, false],
      ['finished', true, false, true],
    ]);
    const rate = await tg.call('GET', `/api/patrol/fulfilment?${q(station1())}`, { token: s1op });
    expect(rate.status).toBe(200);
    expect(rate.body).toMatchObject({ jurisdictionId: station1(), rate: 1 / 3, counts: { planned: 3, fulfilled: 1, missed: 1, late: 1, incomplete: 1, pending: 0 } });
    const whole = await tg.call('GET', `/api/patrol/fulfilment?${q(root())}`, { token: admin });
    expect(whole.body).toMatchObject({ rate: 1 / 3, counts: { planned: 3, fulfilled: 1 } });
    expect(whole.body.children.find((c: any) => c.jurisdictionId === station2())).toMatchObject({ rate: null, counts: { planned: 0 } });
    expect((await tg.call('GET', `/api/patrol/fulfilment?${q(station1())}`, { token: s2op })).status).toBe(404);
    expect((await tg.call('GET', `/api/patrol/fulfilment?jurisdictionId=${station1()}&from=${period.to}&to=${period.from}`, { token: s1op })).status).toBe(400);

    const audit = await tg.running.infra.database.dataSource.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'patrol-%' GROUP BY action ORDER BY action`);
    expect(audit).toEqual([
      { action: 'patrol-round.finish', n: 2 },
      { action: 'patrol-round.mark', n: 5 },
      { action: 'patrol-round.start', n: 2 },
      { action: 'patrol-route.create', n: 1 },
    ]);
    for (let i = 0; i < 50 && roundEvents.filter((e) => e.kind === 'finished').length < 2; i++) await sleep(20);
    expect(roundEvents.map((e) => e.kind)).toEqual(['started', 'abnormal-mark', 'finished', 'started', 'finished']);
    expect(roundEvents[1]).toMatchObject({ roundId: lateRound, stopIndex: 1, cameraId: cam['lane-p1'], jurisdictionId: station1() });
    expect(roundEvents[2]).toMatchObject({ onTime: false, completed: false });
  });

  it("an alert level raised by station 1 is refused for station 2's subtree (404 like missing), reaches its post's alert-effects, and is retained on MQTT", async () => {
    const body = { level: 3, reason: 'Spring Festival fairs', expiresAt: new Date(Date.now() + 3600_000).toISOString() };
    const foreign = await tg.call('PUT', `/api/jurisdictions/${station2()}/alert-level`, { token: s1op, body });
    const missing = await tg.call('PUT', `/api/jurisdictions/${randomUUID()}/alert-level`, { token: s1op, body });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ ...missing.body, correlationId: foreign.body.correlationId });
    expect((await tg.call('PUT', `/api/jurisdictions/${ids.get(districtCode(R, 2, 1))}/alert-level`, { token: s1op, body })).status).toBe(404);
    expect((await tg.call('PUT', `/api/jurisdictions/${post1()}/alert-level`, { token: viewer, body })).status).toBe(403);
    expect((await tg.call('PUT', `/api/jurisdictions/${station1()}/alert-level`, { token: s1op, body: { ...body, level: 4 } })).status).toBe(400);

    const set = await tg.call('PUT', `/api/jurisdictions/${station1()}/alert-level`, { token: s1op, body });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ own: { level: 3, reason: 'Spring Festival fairs', setBy: 'station1-operator' }, effective: { level: 3, sourceJurisdictionId: station1() } });
    const effects = await tg.call('GET', `/api/jurisdictions/${post1()}/alert-effects`, { token: viewer });
    expect(effects.status).toBe(200);
    expect(effects.body).toEqual({ jurisdictionId: post1(), level: 3, sourceJurisdictionId: station1(), effects: { hotspotsFirst: true, priorityTags: ['garage'], dwellFactor: 0.5, patrolIntervalFactor: 0.25, alertPostPcs: true }, hotspotCameraIds: expect.any(Array) });
    const other = await tg.call('GET', `/api/jurisdictions/${station2()}/alert-effects`, { token: s2op });
    expect(other.body).toMatchObject({ level: 1, effects: { hotspotsFirst: false, dwellFactor: 1, patrolIntervalFactor: 1, alertPostPcs: false } });
    expect((await tg.call('GET', `/api/jurisdictions/${station1()}/alert-level`, { token: s2op })).status).toBe(404);
    const [audit] = await tg.running.infra.database.dataSource.query(`SELECT "actorName", "targetId", details FROM audit_log WHERE action = 'alert-level.set'`);
    expect(audit).toMatchObject({ actorName: 'station1-operator', targetId: station1(), details: { before: null, after: { level: 3 } } });

    for (let i = 0; i < 50 && alertEvents.length === 0; i++) await sleep(20);
    expect(alertEvents.filter((e) => e.jurisdictionId === station1())).toEqual([expect.objectContaining({ jurisdictionId: station1(), level: 3, setBy: 'station1-operator', expiresAt: body.expiresAt })]);
    const late: AlertLevelMessage[] = [];
    await tg.running.infra.bus.subscribe(Topics.alertLevel(station1()), (_t, p) => void late.push(p as AlertLevelMessage));
    for (let i = 0; i < 50 && late.length === 0; i++) await sleep(20);
    expect(late[0]).toMatchObject({ level: 3 });
  });
});
