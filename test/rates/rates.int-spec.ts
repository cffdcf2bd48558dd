import { randomUUID } from 'node:crypto';
import { districtCode, generateDistrict } from '@tiergate/domain';
import { StopChecksRepository, ViewSessionsRepository } from '@tiergate/persistence';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { ViewSessionsService } from '../../apps/gateway/src/rates/view-sessions.service';
import { districtNodes, seedCameras, seedJurisdictions, userToken } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

// district ROOT → stations S1 (posts P11, P12) and S2 (posts P21, P22)
const district = generateDistrict({ stations: 2, postsPerStation: 2, sizeKm: 4, seed: 16 });
const ROOT = districtCode('210103');
const S1 = districtCode('210103', 1);
const S2 = districtCode('210103', 2);
const P11 = districtCode('210103', 1, 1);
const P12 = districtCode('210103', 1, 2);
const P21 = districtCode('210103', 2, 1);
const P22 = districtCode('210103', 2, 2);
const centreOf = (code: string) => {
  const [w, s, e, n] = district.features.find((f) => f.properties.code === code)!.bbox;
  return { lon: (w + e) / 2, lat: (s + n) / 2 };
};
const at = (code: string) => `"${centreOf(code).lat},${centreOf(code).lon}"`;

// The period: March 2026 in +08:00 (31 days = 744 h). Previous: the 31 days before; last year: March 2025.
const FROM = '2026-03-01T00:00:00+08:00';
const TO = '2026-04-01T00:00:00+08:00';
const PERIOD_HOURS = 744;

const incidentsCsv = [
  'id,type,occurred_at,lat,lon',
  // current period
  ...[['c1', 'bike_theft', P11], ['c2', 'bike_theft', P11], ['c3', 'robbery', P11], ['c4', 'burglary', P12], ['c5', 'snatch', P21], ['c6', 'other', P21]].map(
    ([id, type, code], i) => `${id},${type},2026-03-${String(10 + i).padStart(2, '0')}T20:00:00+08:00,${centreOf(code).lat},${centreOf(code).lon}`,
  ),
  // previous period (2026-01-29 … 2026-03-01 +08:00)
  ...[['p1', P11], ['p2', P11], ['p3', P11], ['p4', P11]].map(([id, code]) => `${id},bike_theft,2026-02-1${id.slice(1)}T20:00:00+08:00,${centreOf(code).lat},${centreOf(code).lon}`),
  `p5,snatch,2026-02-28T23:59:59+08:00,${centreOf(P21).lat},${centreOf(P21).lon}`,
  // same period last year; one just outside it
  `y1,bike_theft,2025-03-05T20:00:00+08:00,${centreOf(P11).lat},${centreOf(P11).lon}`,
  `y2,robbery,2025-03-31T23:00:00+08:00,${centreOf(P11).lat},${centreOf(P11).lon}`,
  `y3,robbery,2025-04-01T00:00:00+08:00,${centreOf(P11).lat},${centreOf(P11).lon}`,
].join('\n');

const stopChecksCsv = [
  'time,place,jurisdiction_code,persons,vehicles,result',
  `2026-03-05T21:00:00+08:00,${at(P11)},,1,0,captured`,
  `2026-03-06T21:00:00+08:00,${at(P11)},,2,1,not_captured`,
  `2026-03-07T10:00:00+08:00,East gate of the bicycle garage,${P12},0,1,captured`,
  `2026-03-08T10:00:00+08:00,${at(P21)},,1,0,not captured`,
  `2026-02-10T10:00:00+08:00,${at(P21)},,1,0,captured`,
].join('\n');

describe('rates: imports and GET /api/rates against hand-computed values', () => {
  let tg: TestProcess;
  let admin: string;
  let analystS1: string;
  let ids: Map<string, string>;
  let cams: string[];

  const rates = async (token: string, query: string) => tg.call('GET', `/api/rates?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}${query}`, { token });
  const childOf = (body: any, code: string) => body.children.find((c: any) => c.jurisdiction.code === code);
  const decline = (node: any, type: string) => node.incidentDecline.find((d: any) => d.type === type);

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true });
    ids = await seedJurisdictions(tg, districtNodes(district));
    admin = await tg.login();
    analystS1 = await userToken(tg, admin, 'analyst-s1', 'analyst', ids.get(S1)!);
    cams = await seedCameras(tg, [
      { name: 'p11-a', ...centreOf(P11), jurisdictionId: ids.get(P11)! },
      { name: 'p11-b', ...centreOf(P11), jurisdictionId: ids.get(P11)! },
      { name: 'p21-a', ...centreOf(P21), jurisdictionId: ids.get(P21)! },
      { name: 'p22-a', ...centreOf(P22), jurisdictionId: ids.get(P22)! },
    ]);
    expect((await tg.call('POST', '/api/incidents/import', { token: admin, raw: incidentsCsv })).status).toBe(201);
  });
  afterAll(() => tg?.stop());

  it('imports populations all-or-nothing: a bad row refuses the file and changes nothing', async () => {
    const bad = await tg.call('POST', '/api/jurisdictions/population', { token: admin, raw: `code,population\n${P11},10000\nNOPE,5\n${P12},-3\n` });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('IMPORT_FAILED');
    expect(bad.body.errors).toEqual([
      { line: 3, message: 'code "NOPE" is not a jurisdiction of yours' },
      { line: 4, message: 'population "-3" is not a whole number' },
    ]);
    const none = await rates(admin, `&jurisdictionId=${ids.get(P11)}`);
    expect(none.body.node.preventableCases.population).toBeNull();
    // a station analyst is not an admin
    expect((await tg.call('POST', '/api/jurisdictions/population', { token: analystS1, raw: `code,population\n${P11},1\n` })).status).toBe(403);
    const ok = await tg.call('POST', '/api/jurisdictions/population', { token: admin, raw: `code,population\n${P11},10000\n${P12},5000\n${S2},20000\n${P21},100\n` });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ updated: 4 });
  });

  it('imports a stop-and-check log; a broken log is refused whole with line-numbered errors and saves nothing', async () => {
    const repo = tg.running.app.get(StopChecksRepository);
    const broken = [
      'time,place,jurisdiction_code,persons,vehicles,result',
      `2026-03-05T21:00:00+08:00,${at(P11)},,1,0,captured`,
      `2026-03-05T21:00:00+08:00,${at(P11)},,1,0,maybe`,
      '2026-03-05T21:00:00+08:00,"0,0",,1,0,captured',
      '2026-03-05T21:00:00+08:00,Main street,NOPE,1,0,captured',
      '2026-03-05 21:00,Main street,,0,0,captured',
    ].join('\n');
    const refused = await tg.call('POST', '/api/stop-checks/import', { token: admin, raw: broken });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: any) => e.line)).toEqual([3, 4, 5, 6]);
    expect(refused.body.errors[0].message).toMatch(/result "maybe" is not one of captured, not_captured, referred, other/);
    expect(refused.body.errors[1].message).toBe('the place (0, 0) is outside every jurisdiction');
    expect(refused.body.errors[2].message).toBe('jurisdiction_code "NOPE" is not a jurisdiction of yours');
    expect(refused.body.errors[3].message).toMatch(/time "2026-03-05 21:00" is not an ISO 8601 date-time.*without jurisdiction_code the place must be coordinates.*at least one person or vehicle/);
    expect(await repo.count()).toBe(0);
    // a station analyst may not log into another station's post
    const foreign = await tg.call('POST', '/api/stop-checks/import', { token: analystS1, raw: `time,place,jurisdiction_code,persons,vehicles,result\n2026-03-05T21:00:00+08:00,x,${P21},1,0,captured\n` });
    expect(foreign.status).toBe(400);
    expect(await repo.count()).toBe(0);

    const ok = await tg.call('POST', '/api/stop-checks/import', { token: admin, raw: stopChecksCsv });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ created: 5, errors: [] });
    expect(await repo.count()).toBe(5);
    const audit = await tg.call('GET', '/api/audit?action=stopChecks.import', { token: admin });
    expect(audit.body.map((e: any) => e.details)).toEqual([{ rows: 5, jurisdictions: 3 }]);
  });

  it('records viewing sessions from live answers: renewals within the token TTL extend, a later one starts anew', async () => {
    const views = tg.running.app.get(ViewSessionsService);
    const [u1, u2] = [randomUUID(), randomUUID()];
    const t = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00Z`);
    const live = (userId: string, cameraId: string, start: string, end: string) => views.liveAnswered({ userId, cameraId, profile: 'sub' }, t(end), t(start));
    live(u1, cams[0], '10:00', '10:05');
    live(u1, cams[0], '10:04', '10:09'); // renewed before expiry: extended
    live(u1, cams[0], '10:20', '10:25'); // after expiry: a new session
    live(u2, cams[0], '10:05', '10:15'); // another viewer overlapping: counted once
    // a session that began before the period (2026-02-28T16:00Z): only its 30 min inside count
    views.liveAnswered({ userId: u1, cameraId: cams[2], profile: 'main' }, new Date('2026-02-28T16:30:00Z'), new Date('2026-02-28T15:30:00Z'));
    await views.written();
    const rows = await tg.running.app.get(ViewSessionsRepository).ofCamera(cams[0]);
    expect(rows.map((r) => [r.userId, r.startedAt.toISOString().slice(11, 16), r.endedAt.toISOString().slice(11, 16)])).toEqual([
      [u1, '10:00', '10:09'],
      [u2, '10:05', '10:15'],
      [u1, '10:20', '10:25'],
    ]);
  });

  it('answers the rates of the whole tree and each station, against hand-computed values', async () => {
    const res = await rates(admin, '');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.period).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' });
    expect(body.previousPeriod).toEqual({ from: '2026-01-28T16:00:00.000Z', to: '2026-02-28T16:00:00.000Z' });
    expect(body.samePeriodLastYear).toEqual({ from: '2025-02-28T16:00:00.000Z', to: '2025-03-31T16:00:00.000Z' });
    expect(body.preventableTypes).toEqual(['bike_theft', 'burglary', 'snatch']);
    expect(body.children.map((c: any) => c.jurisdiction.code)).toEqual([ROOT]);
    const root = childOf(body, ROOT);
    expect(body.node.jurisdiction).toBeNull();

    // decline: all types 6 now, 5 before (−20 %), 2 last year (−200 %)
    expect(decline(root, 'all')).toEqual({ type: 'all', current: 6, previousPeriod: { count: 5, rate: { value: -0.2 } }, samePeriodLastYear: { count: 2, rate: { value: -2 } } });
    expect(decline(root, 'bike_theft')).toEqual({ type: 'bike_theft', current: 2, previousPeriod: { count: 4, rate: { value: 0.5 } }, samePeriodLastYear: { count: 1, rate: { value: -1 } } });
    expect(decline(root, 'burglary').previousPeriod).toEqual({ count: 0, rate: { value: null, reason: 'NO_INCIDENTS_IN_COMPARISON_PERIOD' } });

    // preventable: 2 bike thefts + 1 burglary + 1 snatch = 4 in 35,000 (S1 = 10,000 + 5,000; S2 its own 20,000)
    expect(root.preventableCases.population).toBe(35_000);
    expect(root.preventableCases.current.cases).toBe(4);
    expect(root.preventableCases.current.per10k.value).toBeCloseTo(40_000 / 35_000, 12);
    expect(root.preventableCases.previousPeriod).toEqual({ cases: 5, per10k: { value: 50_000 / 35_000 } });

    // capture: 4 stop-and-checks, 2 captured, in March; 1 of 1 before; none last year
    expect(root.stopCheckCapture.current).toEqual({ checks: 4, captures: 2, rate: { value: 0.5 } });
    expect(root.stopCheckCapture.previousPeriod).toEqual({ checks: 1, captures: 1, rate: { value: 1 } });
    expect(root.stopCheckCapture.samePeriodLastYear).toEqual({ checks: 0, captures: 0, rate: { value: null, reason: 'NO_STOP_CHECKS' } });

    // monitoring: 4 cameras, 2 watched; camera 1 watched 10:00-10:15 and 10:20-10:25 (20 min), camera 3 30 min
    const m = root.monitoring.current;
    expect(m).toMatchObject({ cameras: 4, watchedCameras: 2, cameraShare: { value: 0.5 }, cameraHours: 4 * PERIOD_HOURS });
    expect(m.watchedHours).toBeCloseTo(50 / 60, 9);
    expect(m.hourShare.value).toBeCloseTo(50 / 60 / (4 * PERIOD_HOURS), 12);
    // the session across the period's start counts its other 30 min in the previous period
    expect(root.monitoring.previousPeriod).toMatchObject({ cameras: 4, watchedCameras: 1, watchedHours: 0.5, cameraHours: 4 * PERIOD_HOURS });
    expect(root.monitoring.samePeriodLastYear).toMatchObject({ watchedCameras: 0, watchedHours: 0, hourShare: { value: 0 } });
  });

  it('rolls up a station and lists its posts; a post without cameras or population answers null with the reason', async () => {
    const res = await rates(admin, `&jurisdictionId=${ids.get(S2)}`);
    expect(res.status).toBe(200);
    const s2 = res.body.node;
    expect(s2.jurisdiction.code).toBe(S2);
    expect(res.body.children.map((c: any) => c.jurisdiction.code)).toEqual([P21, P22]);
    // S2: its own 20,000 wins over its posts (P21 100, P22 unknown); 1 snatch now, 1 before, none last year
    expect(s2.preventableCases).toMatchObject({ population: 20_000, current: { cases: 1, per10k: { value: 0.5 } } });
    expect(decline(s2, 'all')).toEqual({ type: 'all', current: 2, previousPeriod: { count: 1, rate: { value: -1 } }, samePeriodLastYear: { count: 0, rate: { value: null, reason: 'NO_INCIDENTS_IN_COMPARISON_PERIOD' } } });
    expect(s2.stopCheckCapture.current).toEqual({ checks: 1, captures: 0, rate: { value: 0 } });
    const p22 = childOf(res.body, P22);
    expect(p22.preventableCases.current.per10k).toEqual({ value: null, reason: 'NO_POPULATION' });
    expect(p22.monitoring.current).toMatchObject({ cameras: 1, watchedCameras: 0, cameraShare: { value: 0 }, hourShare: { value: 0 } });
    const p21 = childOf(res.body, P21);
    expect(p21.monitoring.current.watchedHours).toBeCloseTo(0.5, 9);

    const s1 = (await rates(analystS1, '')).body; // an analyst's default node is its home
    expect(s1.node.jurisdiction.code).toBe(S1);
    expect(s1.node.preventableCases).toMatchObject({ population: 15_000, current: { cases: 3, per10k: { value: 2 } } });
    expect(s1.node.stopCheckCapture.current).toEqual({ checks: 3, captures: 2, rate: { value: 2 / 3 } });
    const p12 = childOf(s1, P12);
    expect(p12.monitoring.current).toMatchObject({ cameras: 0, cameraShare: { value: null, reason: 'NO_CAMERAS' }, hourShare: { value: null, reason: 'NO_CAMERAS' } });
  });

  it('another station is 404 exactly like a missing node; bad periods are 400 naming the field', async () => {
    const foreign = await rates(analystS1, `&jurisdictionId=${ids.get(S2)}`);
    const missing = await rates(analystS1, `&jurisdictionId=${randomUUID()}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const reversed = await tg.call('GET', `/api/rates?from=2026-03-02&to=2026-03-01`, { token: admin });
    expect(reversed.status).toBe(400);
    expect(reversed.text).toMatch(/to/);
    expect((await tg.call('GET', `/api/rates?from=yesterday&to=2026-03-01`, { token: admin })).status).toBe(400);
  });

  it('takes populations from the jurisdiction GeoJSON import too', async () => {
    const fc = { ...district, features: district.features.map((f) => (f.properties.code === P22 ? { ...f, properties: { ...f.properties, population: 3000 } } : f)) };
    const imported = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(fc), contentType: 'application/geo+json' });
    expect(imported.status).toBeLessThan(300);
    const res = await rates(admin, `&jurisdictionId=${ids.get(P22)}`);
    expect(res.body.node.preventableCases.population).toBe(3000);
    const badFc = { ...district, features: district.features.map((f) => (f.properties.code === P22 ? { ...f, properties: { ...f.properties, population: -1 } } : f)) };
    const refused = await tg.call('POST', '/api/jurisdictions/import', { token: admin, raw: JSON.stringify(badFc), contentType: 'application/geo+json' });
    expect(refused.status).toBe(400);
    expect((await rates(admin, `&jurisdictionId=${ids.get(P22)}`)).body.node.preventableCases.population).toBe(3000);
  });
});
