import { connectAsync, MqttClient } from 'mqtt';
import { Topics } from '@tiergate/contracts';
import { districtCode, generateDistrict, generateIncidents, GeneratedIncident, incidentsToCsv } from '@tiergate/domain';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { districtNodes, SeedNode, seedCameras, seedJurisdictions, userToken } from './support/district.fixture';
import { startTestProcess, TestProcess } from './support/harness';

// ---------------------------------------------------------------------------------------------------
// An independent Gi* (CONTRACT.md "Hotspots"), written from the formula with none of the production
// code: its own projection (log-tan form), ray-casting point-in-polygon, brute-force neighbours and a
// numerically integrated normal distribution.
// ---------------------------------------------------------------------------------------------------
type Ring = number[][];
type Geom = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
const R = 6378137;
const mercX = (lon: number) => (R * lon * Math.PI) / 180;
const mercY = (lat: number) => R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const lonOfX = (x: number) => ((x / R) * 180) / Math.PI;
const latOfY = (y: number) => ((2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * 180) / Math.PI;

function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
const polygons = (g: Geom): Ring[][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const inGeom = (g: Geom, lon: number, lat: number) => polygons(g).some(([outer, ...holes]) => inRing(outer, lon, lat) && !holes.some((h) => inRing(h, lon, lat)));

/** Standard normal two-sided p by Simpson integration of the density. */
function twoSidedP(z: number): number {
  const a = Math.abs(z);
  if (a === 0) return 1;
  const steps = 4000;
  const h = a / steps;
  const f = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = f(0) + f(a);
  for (let k = 1; k < steps; k++) sum += (k % 2 ? 4 : 2) * f(k * h);
  return Math.max(0, 1 - 2 * ((sum * h) / 3));
}

interface RefCell {
  x: number;
  y: number;
  count: number;
  z: number;
  p: number;
  sumW: number;
  lat: number;
  lon: number;
}

function referenceGiStar(points: Array<{ lon: number; lat: number }>, study: Geom[], cellSize: number, radius: number): { n: number; cells: RefCell[] } {
  const keys = new Set<string>();
  for (const g of study) {
    const positions = polygons(g).flat(1).flat(1);
    const lons = positions.map((q) => q[0]);
    const lats = positions.map((q) => q[1]);
    const x0 = Math.floor(mercX(Math.min(...lons)) / cellSize) - 1;
    const x1 = Math.floor(mercX(Math.max(...lons)) / cellSize) + 1;
    const y0 = Math.floor(mercY(Math.min(...lats)) / cellSize) - 1;
    const y1 = Math.floor(mercY(Math.max(...lats)) / cellSize) + 1;
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        if (inGeom(g, lonOfX((cx + 0.5) * cellSize), latOfY((cy + 0.5) * cellSize))) keys.add(`${cx},${cy}`);
      }
    }
  }
  const cells = [...keys].map((k) => k.split(',').map(Number));
  const counts = new Map<string, number>();
  for (const p of points) {
    const k = `${Math.floor(mercX(p.lon) / cellSize)},${Math.floor(mercY(p.lat) / cellSize)}`;
    if (keys.has(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const n = cells.length;
  const xs = cells.map(([cx, cy]) => counts.get(`${cx},${cy}`) ?? 0);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / n - mean * mean);
  const out: RefCell[] = cells.map(([cx, cy], i) => {
    let sumW = 0;
    let sumWx = 0;
    cells.forEach(([ox, oy], j) => {
      if (((ox - cx) ** 2 + (oy - cy) ** 2) * cellSize * cellSize <= radius * radius * (1 + 1e-12)) {
        sumW++;
        sumWx += xs[j];
      }
    });
    const den = s * Math.sqrt((n * sumW - sumW * sumW) / (n - 1));
    const z = s > 0 && den > 0 ? (sumWx - mean * sumW) / den : 0;
    return { x: cx, y: cy, count: xs[i], z, p: z === 0 ? 1 : twoSidedP(z), sumW, lon: lonOfX((cx + 0.5) * cellSize), lat: latOfY((cy + 0.5) * cellSize) };
  });
  return { n, cells: out.filter((c) => c.count > 0 || Math.abs(c.z) >= 1.645) };
}

function expectSameAnalysis(api: any, ref: { n: number; cells: RefCell[] }): void {
  expect(api.n).toBe(ref.n);
  const byKey = new Map<string, RefCell>(ref.cells.map((c) => [`${c.x},${c.y}`, c]));
  expect(api.cells.map((c: any) => `${c.x},${c.y}`).sort()).toEqual([...byKey.keys()].sort());
  for (const c of api.cells) {
    const r = byKey.get(`${c.x},${c.y}`)!;
    expect(c.count).toBe(r.count);
    expect(Math.abs(c.z - r.z)).toBeLessThan(1e-6);
    expect(Math.abs(c.p - r.p)).toBeLessThan(1e-6);
    expect(Math.abs(c.centre.lat - r.lat)).toBeLessThan(1e-9);
    expect(Math.abs(c.centre.lon - r.lon)).toBeLessThan(1e-9);
  }
  for (let k = 1; k < api.cells.length; k++) expect(api.cells[k - 1].z).toBeGreaterThanOrEqual(api.cells[k].z);
}

// ---------------------------------------------------------------------------------------------------
const district = generateDistrict({ stations: 2, postsPerStation: 2, sizeKm: 4, seed: 21 });
const ROOT = districtCode('210103');
const S1 = districtCode('210103', 1);
const S2 = districtCode('210103', 2);
const P11 = districtCode('210103', 1, 1);
const P21 = districtCode('210103', 2, 1);
const feature = (code: string) => district.features.find((f) => f.properties.code === code)!;
const centreOf = (code: string) => {
  const [w, s, e, n] = feature(code).bbox;
  return { lon: (w + e) / 2, lat: (s + n) / 2 };
};
const east = feature(ROOT).bbox[2];
const square = (w: number, s: number, size: number): Ring => [[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]];
/** A second top-level node made of two separate squares east of the district. */
const EXTRA: SeedNode = {
  code: '999999000000000000000',
  name: 'Islands',
  tier: 'sub-bureau',
  parentCode: null,
  geometry: { type: 'MultiPolygon', coordinates: [[square(east + 0.01, 41.775, 0.012)], [square(east + 0.03, 41.795, 0.01)]] } as SeedNode['geometry'],
};
const GARAGE_1 = centreOf(P11);
const GARAGE_2 = centreOf(P21);

const incidents: GeneratedIncident[] = [
  ...generateIncidents({ district, count: 3000, seed: 9, plantedHotspots: [{ ...GARAGE_1, share: 0.05 }, { ...GARAGE_2, share: 0.03 }] }),
  ...generateIncidents({ bbox: [east + 0.01, 41.775, east + 0.022, 41.787], count: 120, seed: 4, idPrefix: 'ISL1-' }),
  ...generateIncidents({ bbox: [east + 0.03, 41.795, east + 0.04, 41.805], count: 160, seed: 5, idPrefix: 'ISL2-', plantedHotspots: [{ lon: east + 0.035, lat: 41.8, share: 0.3 }] }),
];
/**
 * Lets timers and socket events run after a long synchronous computation, so the HTTP client drops
 * keep-alive connections the server closed meanwhile instead of reusing them (ECONNRESET).
 */
const settle = () => new Promise((r) => setTimeout(r, 100));
const metresTo = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) => Math.hypot(mercX(a.lon) - mercX(b.lon), mercY(a.lat) - mercY(b.lat));
const offset = (p: { lon: number; lat: number }, dxM: number, dyM: number) => ({ lon: p.lon + dxM / (111_320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat + dyM / 111_320 });

describe('hotspots: Gi*, three highs, walls, events', () => {
  let tg: TestProcess;
  let mqtt: MqttClient;
  const messages: Array<{ topic: string; payload: any }> = [];
  let ids: Map<string, string>;
  let admin: string;
  let analyst1: string;
  let cameras: Array<{ id: string; lon: number; lat: number; station: string }>;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true });
    mqtt = await connectAsync(tg.running.infra.mqttUrl, { clientId: `hotspot-test-${process.pid}` });
    mqtt.on('message', (topic, buf) => messages.push({ topic, payload: JSON.parse(buf.toString()) }));
    await mqtt.subscribeAsync(Topics.hotspotEventAll, { qos: 1 });
    ids = await seedJurisdictions(tg, [...districtNodes(district), EXTRA]);
    admin = await tg.login();
    analyst1 = await userToken(tg, admin, 'analyst-s1', 'analyst', ids.get(S1)!);
    const cameraSpots = [
      ...[[40, 0], [0, 120], [-250, 100], [300, -300], [600, 0], [-20, -30]].map(([dx, dy]) => ({ ...offset(GARAGE_1, dx, dy), station: S1, post: P11 })),
      ...[[30, 30], [-200, 0], [0, 420]].map(([dx, dy]) => ({ ...offset(GARAGE_2, dx, dy), station: S2, post: P21 })),
    ];
    const created = await seedCameras(tg, cameraSpots.map((c, k) => ({ name: `cam ${k}`, lon: c.lon, lat: c.lat, jurisdictionId: ids.get(c.post)! })));
    cameras = cameraSpots.map((c, k) => ({ id: created[k], lon: c.lon, lat: c.lat, station: c.station }));
    const res = await tg.call('POST', '/api/incidents/import', { token: admin, raw: incidentsToCsv(incidents) });
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${res.text.slice(0, 500)}`);
  });
  afterAll(async () => {
    await mqtt?.endAsync();
    await tg?.stop();
  });

  const studyOfAll = [feature(ROOT).geometry as Geom, EXTRA.geometry as Geom];

  it("matches an independent Gi* for the built-in admin's whole tree (MultiPolygon node, border and zero cells)", async () => {
    const ref = referenceGiStar(incidents, studyOfAll, 250, 500);
    await settle();
    const res = await tg.call('GET', '/api/hotspots', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ cellSize: 250, radius: 500 }));
    expectSameAnalysis(res.body, ref);
    // The data really exercise the edge cases.
    expect(ref.cells.some((c) => c.count === 0)).toBe(true);
    expect(ref.cells.some((c) => c.sumW < 13)).toBe(true); // a border cell with a truncated neighbourhood
    const islands = ref.cells.filter((c) => inGeom(EXTRA.geometry as Geom, c.lon, c.lat));
    expect(new Set(islands.map((c) => inRing((EXTRA.geometry as any).coordinates[0][0], c.lon, c.lat))).size).toBe(2); // both polygons
  });

  it('matches with other cell sizes, a type and a date window', async () => {
    await settle();
    const from = '2024-06-01';
    const to = '2025-06-01T00:00:00+08:00';
    const res = await tg.call('GET', `/api/hotspots?type=bike_theft&from=${from}&to=${encodeURIComponent(to)}&cellSize=200&radius=450`, { token: admin });
    expect(res.status).toBe(200);
    const fromMs = Date.parse('2024-06-01T00:00:00Z');
    const toMs = Date.parse('2025-05-31T16:00:00Z');
    const chosen = incidents.filter((i) => i.type === 'bike_theft' && Date.parse(i.occurredAt) >= fromMs && Date.parse(i.occurredAt) < toMs);
    expectSameAnalysis(res.body, referenceGiStar(chosen, studyOfAll, 200, 450));
  });

  it('puts the planted hotspots on top, with the visible cameras nearest first', async () => {
    await settle();
    const res = await tg.call('GET', '/api/hotspots', { token: admin });
    const top = res.body.cells[0];
    expect(top.confidence).toBe('hot-99');
    expect(metresTo(top.centre, GARAGE_1)).toBeLessThan(400);
    const hot = res.body.cells.filter((c: any) => c.z >= 2.576);
    expect(hot.some((c: any) => metresTo(c.centre, GARAGE_2) < 400)).toBe(true);
    const expected = cameras
      .map((c) => ({ id: c.id, d: metresTo(c, top.centre) }))
      .filter((c) => c.d <= 500)
      .sort((a, b) => a.d - b.d)
      .map((c) => c.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(top.cameras).toEqual(expected);
  });

  it("keeps a station analyst to its station: its study area, its incidents, its cameras", async () => {
    await settle();
    const res = await tg.call('GET', '/api/hotspots', { token: analyst1 });
    expect(res.status).toBe(200);
    const s1 = feature(S1).geometry as Geom;
    const mine = incidents.filter((i) => inGeom(s1, i.lon, i.lat));
    expectSameAnalysis(res.body, referenceGiStar(mine, [s1], 250, 500));
    await settle();
    const station1Cameras = new Set(cameras.filter((c) => c.station === S1).map((c) => c.id));
    const seen = res.body.cells.flatMap((c: any) => c.cameras);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((id: string) => station1Cameras.has(id))).toBe(true);
    // A node outside the analyst's scope looks missing; its own posts are fine.
    expect((await tg.call('GET', `/api/hotspots?jurisdictionId=${ids.get(S2)}`, { token: analyst1 })).status).toBe(404);
    const post = await tg.call('GET', `/api/hotspots?jurisdictionId=${ids.get(P11)}`, { token: analyst1 });
    const p11 = feature(P11).geometry as Geom;
    expect(post.status).toBe(200);
    expectSameAnalysis(post.body, referenceGiStar(incidents.filter((i) => inGeom(p11, i.lon, i.lat)), [p11], 250, 500));
  });

  it('refuses viewers and operators, and names bad parameters', async () => {
    await settle();
    const viewer = await userToken(tg, admin, 'viewer-s1', 'viewer', ids.get(S1)!);
    const operator = await userToken(tg, admin, 'operator-s1', 'operator', ids.get(S1)!);
    for (const token of [viewer, operator]) {
      expect((await tg.call('GET', '/api/hotspots', { token })).status).toBe(403);
      expect((await tg.call('GET', '/api/hotspots/summary', { token })).status).toBe(403);
    }
    for (const [query, field] of [
      ['cellSize=abc', 'cellSize'],
      ['cellSize=5', 'cellSize'],
      ['radius=0', 'radius'],
      ['type=arson', 'type'],
      ['from=2025-13-01', 'from'],
      ['jurisdictionId=x', 'jurisdictionId'],
    ]) {
      const res = await tg.call('GET', `/api/hotspots?${query}`, { token: admin });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(new RegExp(field));
    }
  });

  it('summarises the three highs: child areas with subtree counts, hour x weekday, type mix', async () => {
    const res = await tg.call('GET', `/api/hotspots/summary?jurisdictionId=${ids.get(ROOT)}`, { token: admin });
    expect(res.status).toBe(200);
    const root = feature(ROOT).geometry as Geom;
    const inside = incidents.filter((i) => inGeom(root, i.lon, i.lat));
    expect(res.body.total).toBe(inside.length);
    const expectCount = (code: string) => inside.filter((i) => inGeom(feature(code).geometry as Geom, i.lon, i.lat)).length;
    expect(res.body.topAreas.map((a: any) => [a.code, a.count])).toEqual(
      [
        [S1, expectCount(S1)],
        [S2, expectCount(S2)],
      ].sort((a, b) => (b[1] as number) - (a[1] as number)),
    );
    const offsetMin = tg.running.infra.config.analysis.utcOffsetMinutes;
    const grid = Array.from({ length: 7 }, () => new Array(24).fill(0));
    for (const i of inside) {
      const local = new Date(Date.parse(i.occurredAt) + offsetMin * 60_000);
      grid[(local.getUTCDay() + 6) % 7][local.getUTCHours()]++;
    }
    expect(res.body.hourWeekday).toEqual(grid);
    const mix = new Map<string, number>();
    for (const i of inside) mix.set(i.type, (mix.get(i.type) ?? 0) + 1);
    expect(Object.fromEntries(res.body.typeMix.map((t: any) => [t.type, t.count]))).toEqual(Object.fromEntries(mix));
    expect(res.body.typeMix[0].type).toBe([...mix.entries()].sort((a, b) => b[1] - a[1])[0][0]);
    expect(metresTo(res.body.topCells[0].centre, GARAGE_1)).toBeLessThan(400);
    const analyst = await tg.call('GET', '/api/hotspots/summary', { token: analyst1 });
    expect(analyst.body.topAreas.map((a: any) => a.code).sort()).toEqual([P11, districtCode('210103', 1, 2)].sort());
  });

  it('builds hotspot walls of the nearest visible cameras, filtered per reader', async () => {
    const top = (await tg.call('GET', '/api/hotspots', { token: admin })).body.cells[0];
    const created = await tg.call('POST', '/api/walls', { token: admin, body: { name: 'Garage 1', hotspot: { x: top.x, y: top.y }, limit: 3 } });
    expect(created.status).toBe(201);
    expect(created.body.cameras.map((c: any) => c.id)).toEqual(top.cameras.slice(0, 3));
    const wallId = created.body.id;
    expect((await tg.call('GET', '/api/walls', { token: admin })).body.map((w: any) => w.id)).toContain(wallId);

    const mixed = await tg.call('POST', '/api/walls', { token: admin, body: { name: 'Mixed', cameraIds: cameras.map((c) => c.id) } });
    expect(mixed.status).toBe(201);
    const viewer = await tg.login('viewer-s1', 'viewer-s1-password-1');
    const seen = await tg.call('GET', `/api/walls/${mixed.body.id}`, { token: viewer });
    expect(seen.status).toBe(200);
    expect(seen.body.cameras.map((c: any) => c.id)).toEqual(cameras.filter((c) => c.station === S1).map((c) => c.id));

    const station2Camera = cameras.find((c) => c.station === S2)!.id;
    const refused = await tg.call('POST', '/api/walls', { token: analyst1, body: { name: 'x', cameraIds: [station2Camera] } });
    expect(refused.status).toBe(404);
    expect((await tg.call('POST', '/api/walls', { token: viewer, body: { name: 'x', cameraIds: [cameras[0].id] } })).status).toBe(403);
    expect((await tg.call('POST', '/api/walls', { token: admin, body: { name: 'x' } })).status).toBe(400);

    const own = await tg.call('POST', '/api/walls', { token: analyst1, body: { name: 'mine', hotspot: { x: top.x, y: top.y, cellSize: 250, radius: 500 } } });
    expect(own.status).toBe(201);
    expect(own.body.cameras.every((c: any) => cameras.find((k) => k.id === c.id)!.station === S1)).toBe(true);
    expect((await tg.call('DELETE', `/api/walls/${own.body.id}`, { token: viewer })).status).toBe(403);
    expect((await tg.call('DELETE', `/api/walls/${own.body.id}`, { token: analyst1 })).status).toBe(204);
    expect((await tg.call('GET', `/api/walls/${own.body.id}`, { token: analyst1 })).status).toBe(404);
  });

  it('publishes an MQTT event for a new hot spot and for one that grew', async () => {
    const waitFor = async (pred: (m: { topic: string; payload: any }) => boolean) => {
      for (let k = 0; k < 100; k++) {
        const hit = messages.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no matching message; got ${messages.length}`);
    };
    const isNearGarage1 = (m: { payload: any }) => {
      const cx = (m.payload.cell.x + 0.5) * 250;
      const cy = (m.payload.cell.y + 0.5) * 250;
      return Math.hypot(cx - mercX(GARAGE_1.lon), cy - mercY(GARAGE_1.lat)) < 400;
    };
    const fresh = await waitFor((m) => m.payload.kind === 'new' && m.payload.jurisdictionId === ids.get(S1) && isNearGarage1(m));
    expect(fresh.topic).toBe(Topics.hotspotEvent(ids.get(S1)!));
    expect(fresh.payload).toEqual({ jurisdictionId: ids.get(S1), kind: 'new', cell: expect.objectContaining({ count: expect.any(Number), z: expect.any(Number) }), at: expect.any(String) });
    expect(messages.some((m) => m.payload.jurisdictionId === ids.get(ROOT))).toBe(true);
    expect(messages.some((m) => m.payload.jurisdictionId === ids.get(S2) && isNearGarage1(m))).toBe(false);

    const before = messages.length;
    const more = generateIncidents({ district, count: 60, seed: 99, idPrefix: 'MORE-', plantedHotspots: [{ ...GARAGE_1, share: 1, spreadM: 20 }] });
    const res = await tg.call('POST', '/api/incidents/import', { token: admin, raw: incidentsToCsv(more) });
    expect(res.status).toBe(201);
    const grown = await waitFor((m) => messages.indexOf(m) >= before && m.payload.kind === 'grown' && m.payload.jurisdictionId === ids.get(S1) && isNearGarage1(m));
    expect(grown.payload.cell.count).toBeGreaterThan(fresh.payload.cell.count);
  });
});
