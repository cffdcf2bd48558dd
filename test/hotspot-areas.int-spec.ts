/**
 * GET /api/hotspots/areas (docs/methods.md "Hotspot areas") against a whole gateway: the areas are recomputed here from
 * GET /api/hotspots' cells (checked against an independent Gi* in hotspots.int-spec.ts) with this file's own grouping,
 * centroid, post and camera rules; the confidence filter; and the scope: a station's analyst never sees another
 * station's camera (or node) named in an area, even where the area runs across the border.
 */
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { startTestProcess, TestProcess } from './support/harness';
import { userToken } from './support/district.fixture';
import { BRIDGE, CAMERAS, ownerCode, SeededDistrict, seedHotspotDistrict, SHED } from './support/hotspot-areas.fixture';

// Embedded and external runs may overlap: each its own loopback block for the (unanswered) RTSP URLs (.101-.107 here).
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 143 : 142;
const R = 6378137;
const mercX = (lon: number) => (R * lon * Math.PI) / 180;
const mercY = (lat: number) => R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const lonOfX = (x: number) => ((x / R) * 180) / Math.PI;
const latOfY = (y: number) => ((2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * 180) / Math.PI;
const Z = { 90: 1.645, 95: 1.96, 99: 2.576 } as const;
const settle = () => new Promise((r) => setTimeout(r, 100));

interface Cell { x: number; y: number; count: number; z: number; centre: { lat: number; lon: number } }

/** This test's own areas: 8-connected hot cells at the level, by flood fill over a key set. */
function referenceAreas(cells: Cell[], level: 90 | 95 | 99): Cell[][] {
  const hot = new Map(cells.filter((c) => c.z >= Z[level]).map((c) => [`${c.x},${c.y}`, c]));
  const groups: Cell[][] = [];
  const done = new Set<string>();
  for (const [key, c] of hot) {
    if (done.has(key)) continue;
    const group: Cell[] = [];
    const queue = [c];
    done.add(key);
    while (queue.length) {
      const cur = queue.shift()!;
      group.push(cur);
      for (const [dx, dy] of [[-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 1], [1, -1], [1, 0], [1, 1]]) {
        const k = `${cur.x + dx},${cur.y + dy}`;
        if (hot.has(k) && !done.has(k)) { done.add(k); queue.push(hot.get(k)!); }
      }
    }
    groups.push(group);
  }
  return groups;
}
const keyset = (cells: Array<{ x: number; y: number }>) => cells.map((c) => `${c.x},${c.y}`).sort().join(' ');
/** EPSG:3857 metres from a camera to the nearest square of the cells. */
const distanceTo = (cells: Cell[], cam: { lon: number; lat: number }, size: number) => Math.min(...cells.map((c) => {
  const px = mercX(cam.lon);
  const py = mercY(cam.lat);
  const dx = Math.max(c.x * size - px, 0, px - (c.x + 1) * size);
  const dy = Math.max(c.y * size - py, 0, py - (c.y + 1) * size);
  return Math.hypot(dx, dy);
}));

describe('hotspot areas: grouping, confidence, names and scope', () => {
  let tg: TestProcess;
  let seeded: SeededDistrict;
  let willow: string;
  let lake: string;
  const nameOf = new Map<string, string>();

  beforeAll(async () => {
    tg = await startTestProcess({ name: 'hotspot-areas-test', modules: [GatewayModule], http: true }, { 'health.intervalSeconds': 3600, 'http.docs': 'on' });
    seeded = await seedHotspotDistrict(tg, BLOCK, 101);
    for (const [name, id] of Object.entries(seeded.cameras)) nameOf.set(id, name);
    willow = await userToken(tg, seeded.admin, 'willow-analyst', 'analyst', seeded.jurisdictions['HA-1']);
    lake = await userToken(tg, seeded.admin, 'lake-analyst', 'analyst', seeded.jurisdictions['HA-2']);
  }, 120_000);
  afterAll(async () => {
    await tg?.stop();
  });

  async function both(token: string, level: 90 | 95 | 99) {
    await settle();
    const cells = await tg.call('GET', '/api/hotspots?type=bike_theft', { token });
    await settle();
    const areas = await tg.call('GET', `/api/hotspots/areas?type=bike_theft&confidence=${level}`, { token });
    expect(cells.status).toBe(200);
    expect(areas.status).toBe(200);
    return { cells: cells.body, areas: areas.body };
  }

  it('merges the hot cells that share an edge or a corner, at each confidence, as recomputed from GET /api/hotspots', async () => {
    const sizes: number[] = [];
    for (const level of [90, 95, 99] as const) {
      const { cells, areas } = await both(seeded.admin, level);
      expect(areas).toEqual(expect.objectContaining({ cellSize: 250, radius: 500, n: cells.n, confidence: level, jurisdiction: null, type: 'bike_theft' }));
      const ref = referenceAreas(cells.cells, level);
      expect(areas.areas.map((a: any) => keyset(a.cells)).sort()).toEqual(ref.map(keyset).sort());
      for (const a of areas.areas) {
        const group = ref.find((g) => keyset(g) === keyset(a.cells))!;
        expect(a.count).toBe(group.reduce((s, c) => s + c.count, 0));
        const peak = group.reduce((p, c) => (c.z > p.z ? c : p));
        expect(a.peak).toEqual(expect.objectContaining({ x: peak.x, y: peak.y }));
        expect(a.level).toBe(peak.z >= Z[99] ? 99 : peak.z >= Z[95] ? 95 : 90);
        expect(a.confidence).toBe(`hot-${a.level}`);
        const mx = group.reduce((s, c) => s + (c.x + 0.5) * 250, 0) / group.length;
        const my = group.reduce((s, c) => s + (c.y + 0.5) * 250, 0) / group.length;
        expect(Math.abs(a.centroid.lon - lonOfX(mx))).toBeLessThan(1e-9);
        expect(Math.abs(a.centroid.lat - latOfY(my))).toBeLessThan(1e-9);
        // The post: the node holding most of the cell centres.
        const tally = new Map<string, number>();
        for (const c of group) { const o = ownerCode(c.centre.lon, c.centre.lat)!; tally.set(o, (tally.get(o) ?? 0) + 1); }
        const most = Math.max(...tally.values());
        expect(tally.get(a.post.code)).toBe(most);
        // The cameras: every visible one within the radius of the area, nearest first.
        // Ties (cameras inside the area, at 0) by the distance to the centroid.
        const toCentroid = (c: { lon: number; lat: number }) => Math.hypot(mercX(c.lon) - mx, mercY(c.lat) - my);
        const expected = CAMERAS.map((c) => ({ c, d: distanceTo(group, c, 250) })).filter((e) => e.d <= 500).sort((p, q) => p.d - q.d || toCentroid(p.c) - toCentroid(q.c));
        expect(a.cameras.map((c: any) => c.name)).toEqual(expected.map((e) => e.c.name));
        a.cameras.forEach((c: any, i: number) => expect(Math.abs(c.distance - expected[i].d)).toBeLessThan(1e-6));
      }
      // Ordered by level, then incidents.
      for (let k = 1; k < areas.areas.length; k++) {
        const [p, q] = [areas.areas[k - 1], areas.areas[k]];
        expect(p.level > q.level || (p.level === q.level && p.count >= q.count)).toBe(true);
      }
      sizes.push(areas.areas.reduce((s: number, a: any) => s + a.cells.length, 0));
    }
    // A higher confidence keeps fewer cells; the data make the filter matter.
    expect(sizes[0]).toBeGreaterThan(sizes[2]);
    expect(sizes[2]).toBeGreaterThan(0);
  });

  it('names the planted areas by their post and nearest garage, with ground distances', async () => {
    const { areas } = await both(seeded.admin, 99);
    const near = (a: any, p: { lon: number; lat: number }) => Math.hypot(mercX(a.centroid.lon) - mercX(p.lon), mercY(a.centroid.lat) - mercY(p.lat)) < 500;
    const shed = areas.areas.find((a: any) => near(a, SHED));
    expect(shed).toBeDefined();
    expect(shed.post).toEqual(expect.objectContaining({ code: 'HA-1-2', name: '柳树东警务室', tier: 'post' }));
    expect(shed.landmark).toEqual(expect.objectContaining({ name: '东车棚', kind: 'garage' }));
    const garage = shed.cameras.find((c: any) => c.name === '东车棚');
    expect(garage.garage).toBe(true);
    expect(garage.groundDistance).toBe(Math.round(garage.distance * Math.cos((shed.centroid.lat * Math.PI) / 180)));
    const bridge = areas.areas.find((a: any) => near(a, BRIDGE));
    expect(bridge).toBeDefined();
    // The admin sees the cameras of both stations around the border.
    expect(bridge.cameras.map((c: any) => c.name)).toEqual(expect.arrayContaining(['柳树桥西', '湖滨桥东车棚', '湖滨桥头']));
  });

  it("never names another station's camera or node to a station's analyst, even for an area across the border", async () => {
    const lakeIds = new Set(CAMERAS.filter((c) => c.station === 'HA-2').map((c) => seeded.cameras[c.name]));
    const willowIds = new Set(CAMERAS.filter((c) => c.station === 'HA-1').map((c) => seeded.cameras[c.name]));
    const willowNodes = new Set(['HA-1', 'HA-1-1', 'HA-1-2']);
    for (const level of [90, 95, 99] as const) {
      const { areas } = await both(willow, level);
      expect(areas.jurisdiction).toEqual(expect.objectContaining({ code: 'HA-1', name: '柳树派出所' }));
      expect(areas.areas.length).toBeGreaterThan(0);
      const named = areas.areas.flatMap((a: any) => [...a.cameras.map((c: any) => c.id), ...(a.landmark ? [a.landmark.cameraId] : [])]);
      expect(named.length).toBeGreaterThan(0);
      for (const id of named) expect(willowIds.has(id)).toBe(true);
      const text = JSON.stringify(areas);
      for (const c of CAMERAS.filter((k) => k.station === 'HA-2')) expect(text).not.toContain(c.name);
      for (const id of lakeIds) expect(text).not.toContain(id);
      expect(text).not.toContain('湖滨派出所');
      for (const a of areas.areas) if (a.post) expect(willowNodes.has(a.post.code)).toBe(true);
      if (level === 90) {
        // The bridge area, cut at the border, is there with Willow's camera; Lake's, within the radius across the border, are not.
        const bridge = areas.areas.find((a: any) => a.cameras.some((c: any) => c.name === '柳树桥西'));
        expect(bridge).toBeDefined();
      }
    }
    // The other way round: Lake's analyst sees Lake's cameras by the bridge, none of Willow's.
    const { areas } = await both(lake, 90);
    const bridge = areas.areas.find((a: any) => a.cameras.some((c: any) => c.name === '湖滨桥东车棚'));
    expect(bridge).toBeDefined();
    expect(bridge.landmark.name).toBe('湖滨桥东车棚');
    expect(JSON.stringify(areas)).not.toContain('柳树');
    // Another station's node looks missing.
    expect((await tg.call('GET', `/api/hotspots/areas?jurisdictionId=${seeded.jurisdictions['HA-2']}`, { token: willow })).status).toBe(404);
  });

  it('refuses a confidence other than 90, 95 or 99 and roles other than admin and analyst, and keeps GET /api/hotspots as it was', async () => {
    for (const bad of ['80', 'high', '99.5']) {
      const res = await tg.call('GET', `/api/hotspots/areas?confidence=${bad}`, { token: seeded.admin });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/confidence/);
    }
    const inverted = await tg.call('GET', '/api/hotspots/areas?from=2025-03-01&to=2025-02-01', { token: seeded.admin });
    expect(inverted.status).toBe(400);
    expect(inverted.body.message).toMatch(/to/);
    const viewer = await userToken(tg, seeded.admin, 'willow-viewer', 'viewer', seeded.jurisdictions['HA-1']);
    expect((await tg.call('GET', '/api/hotspots/areas', { token: viewer })).status).toBe(403);
    const plain = await tg.call('GET', '/api/hotspots', { token: seeded.admin });
    expect(Object.keys(plain.body).sort()).toEqual(['cellSize', 'cells', 'n', 'radius']);
    const docs = await tg.call('GET', '/api/docs/openapi.json');
    expect(docs.status).toBe(200);
    const op = docs.body.paths['/api/hotspots/areas'].get;
    expect(op.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['confidence', 'type', 'from', 'to', 'cellSize', 'radius', 'jurisdictionId']));
  });
});
