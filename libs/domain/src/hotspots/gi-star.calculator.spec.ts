import type { Geometry, Position } from '../geo';
import { fromWebMercator, toWebMercator } from '../geo';
import { computeHotspots } from './gi-star.calculator';

/*
 * The reference below re-implements CONTRACT.md "Hotspots" literally and independently of the
 * production code (only the EPSG:3857 projection is shared): its own point-in-polygon, an O(n²) pass
 * over all pairs of study cells with w_ij from centre distances, and its own erfc.
 */

function onEdge(px: number, py: number, a: Position, b: Position): boolean {
  const cross = (b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px - a[0]);
  const scale = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (Math.abs(cross) > 1e-12 * Math.max(scale, 1e-300)) return false;
  return px >= Math.min(a[0], b[0]) - 1e-12 && px <= Math.max(a[0], b[0]) + 1e-12 && py >= Math.min(a[1], b[1]) - 1e-12 && py <= Math.max(a[1], b[1]) + 1e-12;
}

/** Winding number; 'edge' when on the ring. */
function winding(ring: Position[], px: number, py: number): number | 'edge' {
  let wn = 0;
  for (let k = 0; k + 1 < ring.length; k++) {
    const a = ring[k];
    const b = ring[k + 1];
    if (onEdge(px, py, a, b)) return 'edge';
    const side = (b[0] - a[0]) * (py - a[1]) - (px - a[0]) * (b[1] - a[1]);
    if (a[1] <= py && b[1] > py && side > 0) wn++;
    else if (a[1] > py && b[1] <= py && side < 0) wn--;
  }
  return wn;
}

function refInside(geometries: Geometry[], lon: number, lat: number): boolean {
  const polygons = geometries.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates));
  return polygons.some(([outer, ...holes]) => {
    const w = winding(outer, lon, lat);
    if (w === 0) return false;
    return holes.every((h) => {
      const wh = winding(h, lon, lat);
      return wh === 'edge' || wh === 0;
    });
  });
}

function refErfc(x: number): number {
  if (x < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 300; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = x;
  for (let k = 300; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

interface RefCell {
  x: number;
  y: number;
  count: number;
  z: number;
  p: number;
}

function referenceGiStar(incidents: Array<{ lon: number; lat: number }>, area: Geometry[], cellSize: number, radius: number) {
  let lo = [Infinity, Infinity];
  let hi = [-Infinity, -Infinity];
  for (const g of area) {
    for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (const [lon, lat] of poly[0]) {
        const m = toWebMercator(lon, lat);
        lo = [Math.min(lo[0], m.x), Math.min(lo[1], m.y)];
        hi = [Math.max(hi[0], m.x), Math.max(hi[1], m.y)];
      }
    }
  }
  const cells: RefCell[] = [];
  const index = new Map<string, RefCell>();
  for (let x = Math.floor(lo[0] / cellSize) - 1; x <= Math.floor(hi[0] / cellSize) + 1; x++) {
    for (let y = Math.floor(lo[1] / cellSize) - 1; y <= Math.floor(hi[1] / cellSize) + 1; y++) {
      const c = fromWebMercator((x + 0.5) * cellSize, (y + 0.5) * cellSize);
      if (!refInside(area, c.lon, c.lat)) continue;
      const cell = { x, y, count: 0, z: 0, p: 1 };
      cells.push(cell);
      index.set(`${x}/${y}`, cell);
    }
  }
  for (const inc of incidents) {
    const m = toWebMercator(inc.lon, inc.lat);
    const cell = index.get(`${Math.floor(m.x / cellSize)}/${Math.floor(m.y / cellSize)}`);
    if (cell) cell.count += 1;
  }
  const n = cells.length;
  const xbar = cells.reduce((a, c) => a + c.count, 0) / n;
  const S = Math.sqrt(cells.reduce((a, c) => a + c.count * c.count, 0) / n - xbar * xbar);
  for (const ci of cells) {
    let swx = 0;
    let sw = 0;
    let sw2 = 0;
    for (const cj of cells) {
      const d = Math.hypot((ci.x - cj.x) * cellSize, (ci.y - cj.y) * cellSize);
      const w = d <= radius ? 1 : 0;
      swx += w * cj.count;
      sw += w;
      sw2 += w * w;
    }
    const den = S * Math.sqrt((n * sw2 - sw * sw) / (n - 1));
    if (S === 0 || !(den > 0) || Number.isNaN(S)) continue;
    ci.z = (swx - xbar * sw) / den;
    ci.p = refErfc(Math.abs(ci.z) / Math.SQRT2);
  }
  return { n, cells };
}

// --- test data -------------------------------------------------------------------------------

const CS = 250;
let seed = 20261129;
const rand = (): number => {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
};
/** lon/lat of a Mercator point given in cell units (so polygon vertices can sit on cell centres). */
const at = (cx: number, cy: number): Position => {
  const p = fromWebMercator(cx * CS, cy * CS);
  return [p.lon, p.lat];
};
const X0 = Math.floor(toWebMercator(123.4, 41.8).x / CS);
const Y0 = Math.floor(toWebMercator(123.4, 41.8).y / CS);
const rect = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  at(X0 + x0, Y0 + y0),
  at(X0 + x1, Y0 + y0),
  at(X0 + x1, Y0 + y1),
  at(X0 + x0, Y0 + y1),
  at(X0 + x0, Y0 + y0),
];

// Several polygons: one with a hole whose edges run through cell centres (x.5: border cells), a
// triangle with slanted edges, and a two-part MultiPolygon, one part touching the first polygon.
const AREA: Geometry[] = [
  { type: 'Polygon', coordinates: [rect(0.5, 0.5, 12.5, 10.5), rect(4.5, 4.5, 7.5, 6.5)] },
  { type: 'Polygon', coordinates: [[at(X0 + 14, Y0), at(X0 + 24, Y0 + 2), at(X0 + 16, Y0 + 11), at(X0 + 14, Y0)]] },
  { type: 'MultiPolygon', coordinates: [[rect(0.5, 10.5, 6.5, 14.5)], [rect(20, 10, 24.5, 16.5)]] },
];

function randomIncidents(count: number, cluster?: { cx: number; cy: number; size: number }) {
  const out: Array<{ lon: number; lat: number }> = [];
  for (let k = 0; k < count; k++) {
    const [lon, lat] = at(X0 - 2 + rand() * 29, Y0 - 2 + rand() * 21);
    out.push({ lon, lat });
  }
  if (cluster) {
    for (let k = 0; k < cluster.size; k++) {
      const [lon, lat] = at(X0 + cluster.cx + rand(), Y0 + cluster.cy + rand());
      out.push({ lon, lat });
    }
  }
  return out;
}

describe('computeHotspots (Gi*)', () => {
  it.each([
    [250, 500, 0],
    [250, 500, 400],
    [250, 260, 150],
    [250, 800, 900],
    [250, 100, 300], // radius below the cell size: each cell only weighs itself
  ])('matches the literal O(n²) reference (cellSize %p, radius %p, %p incidents)', (cellSize, radius, count) => {
    const incidents = randomIncidents(count, count > 0 ? { cx: 9, cy: 2, size: 40 } : undefined);
    const ref = referenceGiStar(incidents, AREA, cellSize, radius);
    const got = computeHotspots({ incidents, studyArea: AREA, cellSize, radius });
    expect(got.n).toBe(ref.n);
    expect(got.n).toBeGreaterThan(200);
    const inRef = ref.cells.reduce((a, c) => a + c.count, 0);
    expect(got.ignored).toBe(incidents.length - inRef);
    const expected = ref.cells
      .filter((c) => c.count > 0 || Math.abs(c.z) >= 1.645)
      .sort((a, b) => b.z - a.z || a.x - b.x || a.y - b.y);
    expect(got.cells.length).toBe(expected.length);
    got.cells.forEach((cell, k) => {
      const r = expected[k];
      expect([cell.x, cell.y, cell.count]).toEqual([r.x, r.y, r.count]);
      expect(Math.abs(cell.z - r.z)).toBeLessThan(1e-6);
      expect(Math.abs(cell.p - r.p)).toBeLessThan(1e-6);
      const c = fromWebMercator((r.x + 0.5) * cellSize, (r.y + 0.5) * cellSize);
      expect(cell.centre.lon).toBeCloseTo(c.lon, 9);
      expect(cell.centre.lat).toBeCloseTo(c.lat, 9);
    });
    if (count > 0 && radius >= cellSize) expect(got.cells.some((c) => c.count === 0 && c.z >= 1.645)).toBe(true); // zero-count cells scored
  });

  it('includes cells whose centre lies on a border (outer and hole) and excludes the hole', () => {
    const ref = referenceGiStar([], AREA, CS, 500);
    const keys = new Set(ref.cells.map((c) => `${c.x - X0}/${c.y - Y0}`));
    expect(keys.has('0/0')).toBe(true); // centre (0.5, 0.5): outer corner
    expect(keys.has('12/5')).toBe(true); // centre on the outer edge x = 12.5
    expect(keys.has('4/5')).toBe(true); // centre on the hole edge x = 4.5
    expect(keys.has('5/5')).toBe(false); // strictly inside the hole
    const got = computeHotspots({ incidents: [], studyArea: AREA });
    expect(got.n).toBe(ref.cells.length);
  });

  it('puts the centre of a planted cluster on top with 99% confidence', () => {
    // A 40 x 40 cell square with uniform noise and a tight cluster in the middle, away from the edges
    // (near an edge a cell has fewer neighbours, which legitimately raises its Gi*).
    const square: Geometry = { type: 'Polygon', coordinates: [rect(0, 0, 40, 40)] };
    const incidents: Array<{ lon: number; lat: number }> = [];
    for (let k = 0; k < 3000; k++) {
      const [lon, lat] = at(X0 + rand() * 40, Y0 + rand() * 40);
      incidents.push({ lon, lat });
    }
    // Gaussian cluster (sigma = 1 cell) centred on cell (21, 17): its neighbourhood holds the most.
    for (let k = 0; k < 400; k++) {
      const r = Math.sqrt(-2 * Math.log(1 - rand()));
      const a = 2 * Math.PI * rand();
      const [lon, lat] = at(X0 + 21.5 + r * Math.cos(a), Y0 + 17.5 + r * Math.sin(a));
      incidents.push({ lon, lat });
    }
    const got = computeHotspots({ incidents, studyArea: [square] });
    expect(got.n).toBe(1600);
    const top = got.cells[0];
    expect([top.x - X0, top.y - Y0]).toEqual([21, 17]);
    expect(top.confidence).toBe('hot-99');
    expect(top.p).toBeLessThan(0.01);
    expect(top.count).toBeGreaterThanOrEqual(20);
    expect(got.cells.every((c, k) => k === 0 || c.z <= got.cells[k - 1].z)).toBe(true);
    const m = toWebMercator(top.centre.lon, top.centre.lat);
    expect(m.x).toBeCloseTo(top.centreMercator.x, 3);
    expect(top.centreMercator.x).toBe((top.x + 0.5) * 250);
  });

  it('answers z = 0 and p = 1 when S = 0 or the denominator is 0', () => {
    const none = computeHotspots({ incidents: [], studyArea: AREA });
    expect(none.cells).toEqual([]);
    // One incident in every study cell: S = 0.
    const ref = referenceGiStar([], AREA, CS, 500);
    const everywhere = ref.cells.map((c) => fromWebMercator((c.x + 0.5) * CS, (c.y + 0.5) * CS));
    const flat = computeHotspots({ incidents: everywhere, studyArea: AREA });
    expect(flat.cells).toHaveLength(ref.cells.length);
    expect(flat.cells.every((c) => c.z === 0 && c.p === 1 && c.confidence === 'none' && c.count === 1)).toBe(true);
    // A radius covering the whole area: every cell's weights sum to n, so the denominator is 0.
    const wide = computeHotspots({ incidents: randomIncidents(300), studyArea: AREA, radius: 100_000 });
    expect(wide.cells.length).toBeGreaterThan(0);
    expect(wide.cells.every((c) => c.z === 0 && c.p === 1)).toBe(true);
  });

  it('ignores incidents outside the study cells and bad positions', () => {
    const [lon, lat] = at(X0 + 30, Y0 + 30);
    const got = computeHotspots({ incidents: [{ lon, lat }, { lon: NaN, lat: 1 }], studyArea: AREA });
    expect(got.ignored).toBe(2);
    expect(got.cells).toEqual([]);
    expect(computeHotspots({ incidents: [{ lon, lat }], studyArea: [] })).toEqual({ cellSize: 250, radius: 500, n: 0, ignored: 1, cells: [] });
  });

  it('validates its parameters', () => {
    expect(() => computeHotspots({ incidents: [], studyArea: AREA, cellSize: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => computeHotspots({ incidents: [], studyArea: AREA, radius: NaN })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    const world: Geometry = { type: 'Polygon', coordinates: [[[-170, -60], [170, -60], [170, 60], [-170, 60], [-170, -60]]] };
    expect(() => computeHotspots({ incidents: [], studyArea: [world], cellSize: 10 })).toThrow(expect.objectContaining({ code: 'RANGE_TOO_LARGE' }));
    expect(() => computeHotspots({ incidents: [], studyArea: [{ type: 'Point' } as unknown as Geometry] })).toThrow(
      expect.objectContaining({ code: 'INVALID_GEOMETRY' }),
    );
  });
});
