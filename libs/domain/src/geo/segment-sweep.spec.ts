import { TiergateError } from '../errors';
import { validateBoundary } from './boundary.validator';
import type { LinearRing, Position } from './geojson.types';
import { orientation, segmentsIntersect, segmentsOverlap } from './segment-intersection.geometry';
import { findRingIntersection, isSimpleRing } from './segment-sweep.geometry';

const square = (x0: number, y0: number, x1: number, y1: number): LinearRing => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

/**
 * A comb whose teeth are long horizontal strips joined by a spine on the left: every tooth edge spans
 * almost the whole width, so a sweep over x with a bounding-box filter compares all of them with each
 * other (quadratic), while neighbours in a sweep-line status are few. `teeth` × 4 positions + 1.
 */
export function comb(teeth: number, origin: Position = [123.4, 41.7], width = 0.05, tooth = 1e-5): LinearRing {
  const [x0, y0] = origin;
  const spine = width / 100;
  const ring: LinearRing = [[x0, y0]];
  for (let i = 0; i < teeth; i++) {
    const y = y0 + 2 * i * tooth;
    ring.push([x0 + width, y], [x0 + width, y + tooth], [x0 + spine, y + tooth], [x0 + spine, y + 2 * tooth]);
  }
  ring[ring.length - 1] = [x0, y0 + 2 * teeth * tooth - tooth];
  ring.push([x0, y0]);
  return ring;
}

/** The same rules, pair by pair (O(n²)): the reference the sweep must agree with. */
function bruteForce(polygons: LinearRing[][]): boolean {
  const edges: Array<{ a: Position; b: Position; p: number; r: number; e: number; n: number }> = [];
  for (let p = 0; p < polygons.length; p++) {
    for (let r = 0; r < polygons[p].length; r++) {
      const ring = polygons[p][r];
      for (let e = 0; e + 1 < ring.length; e++) edges.push({ a: ring[e], b: ring[e + 1], p, r, e, n: ring.length - 1 });
    }
  }
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const s = edges[i];
      const t = edges[j];
      if (!segmentsIntersect(s.a, s.b, t.a, t.b)) continue;
      if (s.p === t.p && s.r === t.r) {
        const gap = Math.abs(s.e - t.e);
        if ((gap === 1 || gap === s.n - 1) && !segmentsOverlap(s.a, s.b, t.a, t.b)) continue;
        return false;
      }
      if (segmentsOverlap(s.a, s.b, t.a, t.b)) return false;
      const cross =
        orientation(s.a, s.b, t.a) * orientation(s.a, s.b, t.b) < 0 && orientation(t.a, t.b, s.a) * orientation(t.a, t.b, s.b) < 0;
      if (cross) return false;
    }
  }
  return true;
}

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** A random ring on a small integer grid (many collinear, touching and repeated cases), without consecutive repeats. */
function randomRing(rand: () => number, size: number): LinearRing {
  const ring: LinearRing = [];
  while (ring.length < size) {
    const p: Position = [Math.floor(rand() * 5), Math.floor(rand() * 5)];
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  if (ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) ring.pop();
  ring.push(ring[0]);
  return ring;
}

describe('findRingIntersection (Shamos–Hoey sweep line)', () => {
  it('accepts simple rings: a square, a circle, a comb, a spiral', () => {
    const circle: LinearRing = Array.from({ length: 2000 }, (_, i) => [Math.cos((2 * Math.PI * i) / 2000), Math.sin((2 * Math.PI * i) / 2000)] as Position);
    circle.push(circle[0]);
    const spiral: LinearRing = [];
    for (let i = 0; i < 400; i++) spiral.push([(1 + i / 50) * Math.cos(i / 7), (1 + i / 50) * Math.sin(i / 7)]);
    for (let i = 399; i >= 0; i--) spiral.push([(1.05 + i / 50) * Math.cos(i / 7), (1.05 + i / 50) * Math.sin(i / 7)]);
    spiral.push(spiral[0]);
    for (const ring of [square(0, 0, 1, 1), circle, comb(200), spiral]) expect(findRingIntersection([[ring]])).toBeUndefined();
  });

  it('finds a bow-tie, a fold-back spike, a pinch, and a vertex on another edge', () => {
    expect(findRingIntersection([[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]])?.kind).toBe('self');
    expect(findRingIntersection([[[[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]]])?.kind).toBe('self');
    expect(findRingIntersection([[[[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]]])?.kind).toBe('self');
    expect(findRingIntersection([[[[0, 0], [4, 0], [4, 4], [2, 0.000001], [0, 4], [0, 0]]]])).toBeUndefined();
    expect(findRingIntersection([[[[0, 0], [4, 0], [4, 4], [2, 0], [0, 4], [0, 0]]]])?.kind).toBe('self');
  });

  it('finds one crossing anywhere in a 20,000-position comb, in well under a second', () => {
    const ring = comb(5000);
    const started = performance.now();
    expect(findRingIntersection([[ring]])).toBeUndefined();
    const simpleMs = performance.now() - started;
    const broken = ring.slice();
    broken[10_001] = [broken[10_001][0], broken[10_001][1] + 3e-5]; // a tooth tip pushed through its neighbour
    expect(findRingIntersection([[broken]])?.kind).toBe('self');
    expect(simpleMs).toBeLessThan(2000); // a quadratic check of 20,000 positions takes far longer; CI runs the units beside two integration runs
  });

  it('lets holes and polygons touch at a point, not cross or share an edge', () => {
    const outer = square(0, 0, 10, 10);
    expect(findRingIntersection([[outer, square(2, 2, 4, 4)]])).toBeUndefined();
    expect(findRingIntersection([[outer, [[0, 5], [3, 4], [3, 6], [0, 5]]]])).toBeUndefined(); // hole touches the outer ring at (0, 5)
    expect(findRingIntersection([[outer, [[5, 0], [6, 3], [4, 3], [5, 0]]]])).toBeUndefined(); // at a point inside an outer edge
    expect(findRingIntersection([[outer, square(8, 2, 12, 4)]])?.kind).toBe('cross');
    expect(findRingIntersection([[outer, square(0, 2, 3, 4)]])?.kind).toBe('overlap');
    expect(findRingIntersection([[outer, square(2, 2, 4, 4), square(3, 3, 5, 5)]])?.kind).toBe('cross'); // two holes
    expect(findRingIntersection([[square(0, 0, 1, 1)], [square(1, 1, 2, 2)]])).toBeUndefined(); // parts touch at a corner
    expect(findRingIntersection([[square(0, 0, 1, 1)], [square(0.5, 0.5, 2, 2)]])?.kind).toBe('cross');
    expect(findRingIntersection([[square(0, 0, 1, 1)], [square(1, 0, 2, 1)]])?.kind).toBe('overlap');
  });

  it('agrees with the pair-by-pair rules on 3,000 random rings and ring pairs', () => {
    const rand = seeded(7);
    let invalid = 0;
    for (let i = 0; i < 3000; i++) {
      const polygons = i % 3 === 0 ? [[randomRing(rand, 4 + Math.floor(rand() * 3))], [randomRing(rand, 4 + Math.floor(rand() * 3))]] : [[randomRing(rand, 4 + Math.floor(rand() * 7))]];
      const expected = bruteForce(polygons);
      if (!expected) invalid++;
      expect([i, findRingIntersection(polygons) === undefined]).toEqual([i, expected]);
    }
    expect(invalid).toBeGreaterThan(300); // the generator does make both kinds
    expect(invalid).toBeLessThan(2900);
  });

  it('isSimpleRing answers for one ring', () => {
    expect(isSimpleRing(square(0, 0, 1, 1))).toBe(true);
    expect(isSimpleRing([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).toBe(false);
  });
});

describe('validateBoundary with the sweep', () => {
  const reject = (geometry: unknown, limits?: { maxVertices?: number }): string => {
    try {
      validateBoundary(geometry, limits);
    } catch (e) {
      expect((e as TiergateError).code).toBe('INVALID_GEOMETRY');
      return (e as TiergateError).message;
    }
    throw new Error('expected INVALID_GEOMETRY');
  };

  it('validates a 20,000-position comb in well under a second', () => {
    const ring = comb(4999);
    expect(ring.length).toBeLessThanOrEqual(20_000);
    const started = performance.now();
    validateBoundary({ type: 'Polygon', coordinates: [ring] });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses more positions than the cap before reading them', () => {
    expect(reject({ type: 'Polygon', coordinates: [comb(5000)] })).toMatch(/more than 20000 positions/);
    expect(reject({ type: 'Polygon', coordinates: [square(0, 0, 1, 1), square(0.2, 0.2, 0.4, 0.4)] }, { maxVertices: 9 })).toMatch(/more than 9 positions/);
    expect(() => validateBoundary({ type: 'Polygon', coordinates: [square(0, 0, 1, 1), square(0.2, 0.2, 0.4, 0.4)] }, { maxVertices: 10 })).not.toThrow();
    expect(reject({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(2, 2, 3, 3)]] }, { maxVertices: 9 })).toMatch(/more than 9/);
  });

  it('names the rings that cross or overlap', () => {
    expect(reject({ type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(8, 2, 12, 4)] })).toMatch(/^outer ring and hole 1 cross/);
    expect(reject({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(1, 0, 2, 1)]] })).toMatch(/^polygon 0, outer ring and polygon 1, outer ring overlap along an edge/);
    expect(reject({ type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(20, 20, 30, 30)] })).toMatch(/hole 1: position 0 lies outside/);
  });

  it('accepts a hole touching its outer ring at one point', () => {
    expect(() => validateBoundary({ type: 'Polygon', coordinates: [square(0, 0, 10, 10), [[0, 5], [3, 4], [3, 6], [0, 5]]] })).not.toThrow();
  });
});
