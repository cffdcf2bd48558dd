import { randomUUID } from 'node:crypto';
import { generateDistrict, INCIDENT_TYPES, seededRandom, STOP_CHECK_RESULTS } from '@tiergate/domain';
import { IncidentRepository, StopChecksRepository, Transactor, ViewSessionsRepository } from '@tiergate/persistence';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { districtNodes, seedCameras, seedJurisdictions } from '../support/district.fixture';
import { startTestProcess, TestProcess } from '../support/harness';

// The rates' reads are one grouped scan per table (periodCounts) and one text value for the viewing record.
// Here they are checked against a plain recomputation from the rows as generated: every row tested against
// every period on its own, over overlapping periods, boundaries that fall on rows, unplaced rows and gaps.

const DAY = 86_400_000;
const T0 = Date.parse('2025-01-01T00:00:00+08:00');

describe('rate figures: the one-pass reads equal a straightforward recomputation on generated data', () => {
  let tg: TestProcess;
  const random = seededRandom(161);
  const at = (day: number) => new Date(T0 + Math.floor(day * DAY));
  let nodes: string[];
  let cameras: string[];
  let incidents: Array<{ id: string; type: string; occurredAt: Date; jurisdictionId: string | null }>;
  let checks: Array<{ checkedAt: Date; jurisdictionId: string | null; result: string }>;
  let sessions: Array<{ cameraId: string; startedAt: number; endedAt: number }>;

  // the current period, the previous one, the same period last year (overlapping the previous), one boundary on a row, one empty, one in a gap
  const periods = () => [
    { from: at(200), to: at(300) },
    { from: at(100), to: at(200) },
    { from: at(150), to: at(250) },
    { from: incidents[7].occurredAt, to: checks[11].checkedAt > incidents[7].occurredAt ? checks[11].checkedAt : at(400) },
    { from: at(500), to: at(501) },
  ];

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true });
    const district = generateDistrict({ stations: 2, postsPerStation: 3, sizeKm: 4, seed: 3 });
    const ids = await seedJurisdictions(tg, districtNodes(district));
    nodes = [...ids.values()];
    cameras = await seedCameras(tg, Array.from({ length: 12 }, (_, k) => ({ name: `cam-${k}`, lon: 123.4, lat: 41.8, jurisdictionId: nodes[k % nodes.length] })));
    const pickNode = () => (random() < 0.05 ? null : nodes[Math.floor(random() * nodes.length)]);
    incidents = Array.from({ length: 3000 }, (_, k) => ({
      id: `fp-${k}`,
      type: INCIDENT_TYPES[Math.floor(random() * INCIDENT_TYPES.length)],
      occurredAt: at(random() * 400),
      jurisdictionId: pickNode(),
    }));
    checks = Array.from({ length: 2000 }, () => ({ checkedAt: at(random() * 400), jurisdictionId: pickNode(), result: STOP_CHECK_RESULTS[Math.floor(random() * STOP_CHECK_RESULTS.length)] }));
    sessions = Array.from({ length: 800 }, () => {
      const startedAt = T0 + Math.floor(random() * 400 * DAY);
      return { cameraId: cameras[Math.floor(random() * cameras.length)], startedAt, endedAt: startedAt + Math.floor(random() * 3 * 3_600_000) };
    });
    const ds = tg.running.infra.database.dataSource;
    const placed = incidents.filter((i) => i.jurisdictionId !== null);
    await new Transactor(ds).run((tx) => tg.running.app.get(IncidentRepository).upsertAll(placed.map((i) => ({ ...i, jurisdictionId: i.jurisdictionId!, lat: 41.8, lon: 123.4 })), tx));
    // unplaced incidents (their node deleted, say): stored with no node, counted nowhere
    for (const i of incidents.filter((x) => x.jurisdictionId === null)) {
      await ds.query(`INSERT INTO incidents (id, type, "occurredAt", lat, lon, "jurisdictionId") VALUES ($1, $2, $3, 41.8, 123.4, NULL)`, [i.id, i.type, i.occurredAt.toISOString()]);
    }
    await new Transactor(ds).run((tx) =>
      tg.running.app.get(StopChecksRepository).insertAll(
        checks.map((c) => ({ ...c, jurisdictionId: c.jurisdictionId as string, place: 'test', lat: null, lon: null, persons: 1, vehicles: 0 })),
        null,
        tx,
      ),
    );
    const repo = tg.running.app.get(ViewSessionsRepository);
    for (const s of sessions) await repo.insert({ userId: randomUUID(), cameraId: s.cameraId, profile: 'sub', startedAt: new Date(s.startedAt), endedAt: new Date(s.endedAt) });
  });
  afterAll(() => tg?.stop());

  const inPeriod = (t: Date, p: { from: Date; to: Date }) => t >= p.from && t < p.to;
  const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();

  it('incidents per period, node and type', async () => {
    const ps = periods();
    const expected: Array<{ period: number; jurisdictionId: string; type: string; count: number }> = [];
    ps.forEach((p, k) => {
      const counts = new Map<string, number>();
      for (const i of incidents) if (i.jurisdictionId !== null && inPeriod(i.occurredAt, p)) counts.set(`${i.jurisdictionId} ${i.type}`, (counts.get(`${i.jurisdictionId} ${i.type}`) ?? 0) + 1);
      for (const [key, count] of counts) expected.push({ period: k, jurisdictionId: key.split(' ')[0], type: key.split(' ')[1], count });
    });
    const got = await tg.running.app.get(IncidentRepository).countsPerJurisdictionAndType(ps);
    expect(expected.length).toBeGreaterThan(50);
    expect(got.some((r) => r.period === 4)).toBe(expected.some((r) => r.period === 4));
    expect(sorted(got)).toEqual(sorted(expected));
  });

  it('stop-and-checks and captures per period and node', async () => {
    const ps = periods();
    const expected: Array<{ period: number; jurisdictionId: string; checks: number; captures: number }> = [];
    ps.forEach((p, k) => {
      const counts = new Map<string, { checks: number; captures: number }>();
      for (const c of checks) {
        if (c.jurisdictionId === null || !inPeriod(c.checkedAt, p)) continue;
        const n = counts.get(c.jurisdictionId) ?? { checks: 0, captures: 0 };
        counts.set(c.jurisdictionId, { checks: n.checks + 1, captures: n.captures + (c.result === 'captured' ? 1 : 0) });
      }
      for (const [jurisdictionId, n] of counts) expected.push({ period: k, jurisdictionId, ...n });
    });
    const got = await tg.running.app.get(StopChecksRepository).countsPerJurisdiction(ps);
    expect(expected.length).toBeGreaterThan(10);
    expect(sorted(got)).toEqual(sorted(expected));
  });

  it('viewing intervals overlapping a window, all cameras and some', async () => {
    const from = at(120).getTime();
    const to = at(260).getTime();
    const expected = sessions.filter((s) => s.startedAt < to && s.endedAt > from);
    const repo = tg.running.app.get(ViewSessionsRepository);
    expect(expected.length).toBeGreaterThan(100);
    expect(sorted(await repo.overlapping(new Date(from), new Date(to)))).toEqual(sorted(expected));
    const some = cameras.slice(0, 3);
    expect(sorted(await repo.overlapping(new Date(from), new Date(to), some))).toEqual(sorted(expected.filter((s) => some.includes(s.cameraId))));
    expect(await repo.overlapping(at(900), at(901))).toEqual([]);
  });
});
