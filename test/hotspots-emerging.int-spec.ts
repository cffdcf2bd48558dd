import { districtCode, generateDistrict, generateIncidents, GeneratedIncident, incidentsToCsv } from '@tiergate/domain';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { districtNodes, seedCameras, seedJurisdictions, userToken } from './support/district.fixture';
import { startTestProcess, TestProcess } from './support/harness';

// ---------------------------------------------------------------------------------------------------
// An independent emerging hot-spot analysis, written from docs/methods.md "Emerging hot spots" and
// CONTRACT.md "Hotspots" with none of the production code: its own projection, even-odd point in
// polygon, brute-force Gi* per week, Mann-Kendall by sorting into tie groups, a Simpson-integrated
// normal p, and the categories as plain loops over the series.
// ---------------------------------------------------------------------------------------------------
type Ring = number[][];
type Geom = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
const EARTH = 6378137;
const toX = (lon: number) => (EARTH * lon * Math.PI) / 180;
const toY = (lat: number) => EARTH * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const toLon = (x: number) => ((x / EARTH) * 180) / Math.PI;
const toLat = (y: number) => ((2 * Math.atan(Math.exp(y / EARTH)) - Math.PI / 2) * 180) / Math.PI;
const WEEK = 7 * 86_400_000;

function evenOdd(ring: Ring, x: number, y: number): boolean {
  let c = false;
  for (let i = 0; i < ring.length - 1; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[i + 1];
    if (ay > y !== by > y && x < ax + ((y - ay) * (bx - ax)) / (by - ay)) c = !c;
  }
  return c;
}
const insideGeom = (g: Geom, lon: number, lat: number) =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).some((rings) => evenOdd(rings[0], lon, lat) && rings.slice(1).every((h) => !evenOdd(h, lon, lat)));

function normalTwoSided(z: number): number {
  const a = Math.abs(z);
  if (a === 0) return 1;
  const steps = 6000;
  const h = a / steps;
  let acc = 0;
  for (let k = 0; k <= steps; k++) {
    const w = k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2;
    acc += w * Math.exp(-((k * h) ** 2) / 2);
  }
  return Math.max(0, 1 - (2 * acc * h) / 3 / Math.sqrt(2 * Math.PI));
}

function refMannKendall(xs: number[]): { s: number; variance: number; z: number; p: number } {
  const n = xs.length;
  let s = 0;
  for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) s += xs[j] > xs[i] ? 1 : xs[j] < xs[i] ? -1 : 0;
  const sorted = [...xs].sort((a, b) => a - b);
  let tieTerm = 0;
  let run = 1;
  for (let k = 1; k <= n; k++) {
    if (k < n && sorted[k] === sorted[k - 1]) run++;
    else {
      tieTerm += run * (run - 1) * (2 * run + 5);
      run = 1;
    }
  }
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  let z = 0;
  if (variance > 0 && s > 0) z = (s - 1) / Math.sqrt(variance);
  if (variance > 0 && s < 0) z = (s + 1) / Math.sqrt(variance);
  return { s, variance, z, p: normalTwoSided(z) };
}

/** The category rules of docs/methods.md, spelled out per case. */
function refCategory(zs: number[], mk: { z: number; p: number }): string {
  const n = zs.length;
  let hots = 0;
  let colds = 0;
  for (const z of zs) {
    if (z >= 1.645) hots++;
    if (z <= -1.645) colds++;
  }
  const lastHot = zs[n - 1] >= 1.645;
  const lastCold = zs[n - 1] <= -1.645;
  const up = mk.z > 0 && mk.p <= 0.05;
  const down = mk.z < 0 && mk.p <= 0.05;
  if (!lastHot && !lastCold) {
    if (hots / n >= 0.9) return 'historical-hot';
    if (colds / n >= 0.9) return 'historical-cold';
    return 'none';
  }
  const side = lastHot ? 'hot' : 'cold';
  const mine = lastHot ? hots : colds;
  const others = lastHot ? colds : hots;
  if (mine / n >= 0.9) {
    if (lastHot ? up : down) return `intensifying-${side}`;
    if (lastHot ? down : up) return `diminishing-${side}`;
    return `persistent-${side}`;
  }
  if (others > 0) return `oscillating-${side}`;
  if (mine === 1) return `new-${side}`;
  // Consecutive: the significant slices of this side are exactly the last `mine` slices.
  let runFromEnd = 0;
  for (let k = n - 1; k >= 0 && (lastHot ? zs[k] >= 1.645 : zs[k] <= -1.645); k--) runFromEnd++;
  return runFromEnd === mine ? `consecutive-${side}` : `sporadic-${side}`;
}

const ORDER = [
  'intensifying-hot', 'new-hot', 'consecutive-hot', 'persistent-hot', 'sporadic-hot', 'oscillating-hot', 'diminishing-hot', 'historical-hot',
  'intensifying-cold', 'new-cold', 'consecutive-cold', 'persistent-cold', 'sporadic-cold', 'oscillating-cold', 'diminishing-cold', 'historical-cold', 'none',
];

interface RefCell {
  x: number;
  y: number;
  count: number;
  counts: number[];
  zs: number[];
  mk: { s: number; variance: number; z: number; p: number };
  category: string;
}

function referenceEmerging(
  points: Array<{ lon: number; lat: number; at: number }>,
  study: Geom[],
  weeks: Array<{ from: number; to: number }>,
  cellSize: number,
  radius: number,
  offsetMinutes: number,
): { n: number; cells: RefCell[]; guidance: Array<{ x: number; y: number; category: string; count: number; peaks: Array<{ weekday: number; hour: number; count: number }> }> } {
  const cells: Array<[number, number]> = [];
  const seen = new Set<string>();
  for (const g of study) {
    const all = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2);
    const xs = all.map((p) => toX(p[0]));
    const ys = all.map((p) => toY(p[1]));
    for (let cx = Math.floor(Math.min(...xs) / cellSize) - 1; cx <= Math.floor(Math.max(...xs) / cellSize) + 1; cx++) {
      for (let cy = Math.floor(Math.min(...ys) / cellSize) - 1; cy <= Math.floor(Math.max(...ys) / cellSize) + 1; cy++) {
        const key = `${cx},${cy}`;
        if (!seen.has(key) && insideGeom(g, toLon((cx + 0.5) * cellSize), toLat((cy + 0.5) * cellSize))) {
          seen.add(key);
          cells.push([cx, cy]);
        }
      }
    }
  }
  const n = cells.length;
  const position = new Map(cells.map(([cx, cy], i) => [`${cx},${cy}`, i]));
  const neighbours = cells.map(([cx, cy]) => {
    const list: number[] = [];
    cells.forEach(([ox, oy], j) => {
      if (Math.hypot((ox - cx) * cellSize, (oy - cy) * cellSize) <= radius * (1 + 1e-12)) list.push(j);
    });
    return list;
  });
  const grid = weeks.map(() => new Array<number>(n).fill(0));
  const located: Array<{ cell: number; at: number }> = [];
  for (const p of points) {
    const w = weeks.findIndex((k) => p.at >= k.from && p.at < k.to);
    const cell = position.get(`${Math.floor(toX(p.lon) / cellSize)},${Math.floor(toY(p.lat) / cellSize)}`);
    if (w < 0 || cell === undefined) continue;
    grid[w][cell] += 1;
    located.push({ cell, at: p.at });
  }
  const zOfWeek = grid.map((x) => {
    let total = 0;
    let squares = 0;
    for (const v of x) {
      total += v;
      squares += v * v;
    }
    const mean = total / n;
    const sd = Math.sqrt(squares / n - mean * mean);
    return neighbours.map((list) => {
      let local = 0;
      for (const j of list) local += x[j];
      const w = list.length;
      const den = sd * Math.sqrt((n * w - w * w) / (n - 1));
      return sd > 0 && den > 0 ? (local - mean * w) / den : 0;
    });
  });
  const out: RefCell[] = [];
  cells.forEach(([cx, cy], i) => {
    const zs = zOfWeek.map((z) => z[i]);
    const counts = grid.map((x) => x[i]);
    const count = counts.reduce((a, b) => a + b, 0);
    const mk = refMannKendall(zs);
    const category = refCategory(zs, mk);
    if (category !== 'none' || count > 0) out.push({ x: cx, y: cy, count, counts, zs, mk, category });
  });
  out.sort((a, b) => ORDER.indexOf(a.category) - ORDER.indexOf(b.category) || b.zs[b.zs.length - 1] - a.zs[a.zs.length - 1] || a.x - b.x || a.y - b.y);
  const chosen: RefCell[] = [];
  for (const c of out) {
    if (chosen.length === 10) break;
    if (!['intensifying-hot', 'new-hot', 'consecutive-hot', 'persistent-hot'].includes(c.category)) continue;
    let sameSpot = false;
    for (const o of chosen) if (Math.hypot((o.x - c.x) * cellSize, (o.y - c.y) * cellSize) <= radius * (1 + 1e-12)) sameSpot = true;
    if (!sameSpot) chosen.push(c);
  }
  const guidance = chosen.map((c) => {
      const me = position.get(`${c.x},${c.y}`)!;
      const near = new Set(neighbours[me]);
      const slots = new Map<string, number>();
      let count = 0;
      for (const l of located) {
        if (!near.has(l.cell)) continue;
        count++;
        const local = new Date(l.at + offsetMinutes * 60_000);
        const key = `${(local.getUTCDay() + 6) % 7},${local.getUTCHours()}`;
        slots.set(key, (slots.get(key) ?? 0) + 1);
      }
      const peaks = [...slots.entries()]
        .map(([k, v]) => ({ weekday: Number(k.split(',')[0]), hour: Number(k.split(',')[1]), count: v }))
        .sort((a, b) => b.count - a.count || a.weekday - b.weekday || a.hour - b.hour)
        .slice(0, 3);
      return { x: c.x, y: c.y, category: c.category, count, peaks };
    });
  return { n, cells: out, guidance };
}

function expectSameEmerging(api: any, ref: ReturnType<typeof referenceEmerging>): void {
  expect(api.n).toBe(ref.n);
  expect(api.cells.map((c: any) => `${c.x},${c.y}`).sort()).toEqual(ref.cells.map((c) => `${c.x},${c.y}`).sort());
  const byKey = new Map(ref.cells.map((c) => [`${c.x},${c.y}`, c]));
  for (const c of api.cells) {
    const r = byKey.get(`${c.x},${c.y}`)!;
    expect([c.x, c.y, c.category]).toEqual([r.x, r.y, r.category]);
    expect(c.count).toBe(r.count);
    expect(c.slices.map((s: any) => s.count)).toEqual(r.counts);
    c.slices.forEach((s: any, k: number) => expect(Math.abs(s.z - r.zs[k])).toBeLessThan(1e-6));
    expect(c.trend.s).toBe(r.mk.s);
    expect(c.trend.variance).toBeCloseTo(r.mk.variance, 9);
    expect(Math.abs(c.trend.z - r.mk.z)).toBeLessThan(1e-9);
    expect(Math.abs(c.trend.p - r.mk.p)).toBeLessThan(1e-6);
  }
  expect(api.cells.map((c: any) => c.category)).toEqual(ref.cells.map((c) => c.category)); // the answer's order
  expect(api.guidance.map((g: any) => ({ x: g.x, y: g.y, category: g.category, count: g.count, peaks: g.peaks }))).toEqual(ref.guidance);
}

// ---------------------------------------------------------------------------------------------------
// Twelve weeks ending Monday 2 March 2026 (UTC+8) over a generated district, with three planted spots:
// NEW only in the last week, INTENSIFYING growing 20 → 40 a week, DIMINISHING shrinking 40 → 20.
// ---------------------------------------------------------------------------------------------------
const district = generateDistrict({ stations: 2, postsPerStation: 2, sizeKm: 4, seed: 21 });
const ROOT = districtCode('210103');
const S1 = districtCode('210103', 1);
const S2 = districtCode('210103', 2);
const feature = (code: string) => district.features.find((f) => f.properties.code === code)!;
const centreOf = (code: string) => {
  const [w, s, e, n] = feature(code).bbox;
  return { lon: (w + e) / 2, lat: (s + n) / 2 };
};
const TO = Date.parse('2026-03-02T00:00:00+08:00');
const WEEKS = Array.from({ length: 12 }, (_, k) => ({ from: TO - (12 - k) * WEEK, to: TO - (11 - k) * WEEK }));
const NEW_AT = centreOf(districtCode('210103', 1, 1));
const INTENSIFYING_AT = centreOf(districtCode('210103', 1, 2));
const DIMINISHING_AT = centreOf(districtCode('210103', 2, 1));
const growing = WEEKS.map((_, k) => Math.round(20 + (20 * k) / 11));

const incidents: GeneratedIncident[] = [
  ...generateIncidents({ district, count: 3000, years: 84 / 365.25, end: new Date(TO), seed: 3 }),
  // Before the window: must not count.
  ...generateIncidents({ district, count: 200, years: 0.2, end: new Date(WEEKS[0].from), seed: 8, idPrefix: 'OLD-', plantedHotspots: [{ ...NEW_AT, share: 0.5 }] }),
];
const plant = (at: { lon: number; lat: number }, perWeek: number[], prefix: string) =>
  perWeek.forEach((count, k) => {
    if (count > 0) {
      incidents.push(
        ...generateIncidents({ district, count, years: 7 / 365.25, end: new Date(WEEKS[k].to), plantedHotspots: [{ ...at, share: 1, spreadM: 80 }], seed: 100 + k + prefix.length * 17, idPrefix: `${prefix}${k}-` }),
      );
    }
  });
plant(NEW_AT, [...new Array(11).fill(0), 25], 'NEW');
plant(INTENSIFYING_AT, growing, 'INT');
plant(DIMINISHING_AT, [...growing].reverse(), 'DIM');
const points = incidents.map((i) => ({ lon: i.lon, lat: i.lat, at: Date.parse(i.occurredAt) }));
const cellOf = (p: { lon: number; lat: number }) => ({ x: Math.floor(toX(p.lon) / 250), y: Math.floor(toY(p.lat) / 250) });
const settle = () => new Promise((r) => setTimeout(r, 100));

describe('emerging hot spots: GET /api/hotspots/emerging', () => {
  let tg: TestProcess;
  let ids: Map<string, string>;
  let admin: string;
  let analyst1: string;
  let offset: number;
  let nearIntensifying: string;

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'gateway', modules: [GatewayModule], http: true });
    ids = await seedJurisdictions(tg, districtNodes(district));
    admin = await tg.login();
    analyst1 = await userToken(tg, admin, 'analyst-em-s1', 'analyst', ids.get(S1)!);
    [nearIntensifying] = await seedCameras(tg, [{ name: 'garage cam', ...INTENSIFYING_AT, jurisdictionId: ids.get(districtCode('210103', 1, 2))! }]);
    offset = tg.running.infra.config.analysis.utcOffsetMinutes;
    const res = await tg.call('POST', '/api/incidents/import', { token: admin, raw: incidentsToCsv(incidents) });
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${res.text.slice(0, 500)}`);
  });
  afterAll(async () => {
    await tg?.stop();
  });

  const query = `to=${encodeURIComponent('2026-03-02T00:00:00+08:00')}&slices=12`;

  it('matches an independent implementation, and finds the planted new, intensifying and diminishing hot spots', async () => {
    await settle();
    const res = await tg.call('GET', `/api/hotspots/emerging?${query}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.slices.map((s: any) => [Date.parse(s.from), Date.parse(s.to)])).toEqual(WEEKS.map((w) => [w.from, w.to]));
    expect(res.body.next).toEqual({ from: new Date(TO).toISOString(), to: new Date(TO + WEEK).toISOString() });
    const ref = referenceEmerging(points, [feature(ROOT).geometry as Geom], WEEKS, 250, 500, offset);
    expectSameEmerging(res.body, ref);

    const categoryAt = (p: { lon: number; lat: number }) => res.body.cells.find((c: any) => c.x === cellOf(p).x && c.y === cellOf(p).y)?.category;
    expect(categoryAt(NEW_AT)).toBe('new-hot');
    expect(categoryAt(INTENSIFYING_AT)).toBe('intensifying-hot');
    expect(categoryAt(DIMINISHING_AT)).toBe('diminishing-hot');
    // Patrol guidance: the intensifying spot leads (category order), with the camera beside it and a weekday-evening peak.
    const lead = res.body.guidance[0];
    expect(lead.category).toBe('intensifying-hot');
    expect(Math.hypot(toX(lead.centre.lon) - toX(INTENSIFYING_AT.lon), toY(lead.centre.lat) - toY(INTENSIFYING_AT.lat))).toBeLessThan(400);
    expect(lead.cameras).toContain(nearIntensifying);
    expect(res.body.guidance.some((g: any) => g.category === 'new-hot' && Math.hypot(toX(g.centre.lon) - toX(NEW_AT.lon), toY(g.centre.lat) - toY(NEW_AT.lat)) < 400)).toBe(true);
    expect(res.body.guidance.some((g: any) => g.category === 'diminishing-hot')).toBe(false);
    expect(lead.peaks[0].hour).toBeGreaterThanOrEqual(7);
    expect(lead.hourWeekday.flat().reduce((a: number, b: number) => a + b, 0)).toBe(lead.count);
  });

  it('takes `from` instead of `slices` (a partial first week is left out), and a type', async () => {
    await settle();
    const from = new Date(TO - 12 * WEEK - 3 * 86_400_000).toISOString();
    const res = await tg.call('GET', `/api/hotspots/emerging?to=${new Date(TO).toISOString()}&from=${from}&type=bike_theft&cellSize=300&radius=650`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.slices).toHaveLength(12);
    const chosen = points.filter((_, k) => incidents[k].type === 'bike_theft');
    expectSameEmerging(res.body, referenceEmerging(chosen, [feature(ROOT).geometry as Geom], WEEKS, 300, 650, offset));
  });

  it("keeps a station analyst to its station's incidents and study area; other nodes look missing", async () => {
    await settle();
    const res = await tg.call('GET', `/api/hotspots/emerging?${query}`, { token: analyst1 });
    expect(res.status).toBe(200);
    const s1 = feature(S1).geometry as Geom;
    const mine = points.filter((p) => insideGeom(s1, p.lon, p.lat));
    expect(mine.length).toBeLessThan(points.length);
    expectSameEmerging(res.body, referenceEmerging(mine, [s1], WEEKS, 250, 500, offset));
    const s2 = feature(S2).geometry as Geom;
    expect(res.body.cells.some((c: any) => insideGeom(s2, c.centre.lon, c.centre.lat) && !insideGeom(s1, c.centre.lon, c.centre.lat))).toBe(false);
    expect(res.body.cells.some((c: any) => c.x === cellOf(DIMINISHING_AT).x && c.y === cellOf(DIMINISHING_AT).y)).toBe(false);
    expect((await tg.call('GET', `/api/hotspots/emerging?${query}&jurisdictionId=${ids.get(S2)}`, { token: analyst1 })).status).toBe(404);
  });

  it('refuses viewers and names bad parameters', async () => {
    const viewer = await userToken(tg, admin, 'viewer-em', 'viewer', ids.get(S1)!);
    expect((await tg.call('GET', `/api/hotspots/emerging?${query}`, { token: viewer })).status).toBe(403);
    for (const [q, field] of [
      ['slice=month', 'slice'],
      ['slices=9', 'slices'],
      ['slices=105', 'slices'],
      ['slices=12&from=2025-01-01', 'slices'],
      [`to=2026-03-02&from=2026-01-01`, 'from'], // 8 whole weeks
      ['cellSize=5', 'cellSize'],
      ['from=2026-03-02&to=2026-01-01', 'to'],
    ]) {
      const res = await tg.call('GET', `/api/hotspots/emerging?${q}`, { token: admin });
      expect([q, res.status, res.body.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
      expect(res.body.message).toMatch(new RegExp(field));
    }
  });
});
