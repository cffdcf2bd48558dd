import { TiergateError } from '../errors';
import { bbox } from './bbox.util';
import { validateBoundary } from './boundary.validator';
import { containsPoint, rowContainment } from './contains-point.geometry';
import type { MultiPolygon, Polygon, Position } from './geojson.types';
import { fromWebMercator, toWebMercator } from './web-mercator.projection';

const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

function geometryError(fn: () => unknown): TiergateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TiergateError);
    expect((e as TiergateError).code).toBe('INVALID_GEOMETRY');
    return e as TiergateError;
  }
  throw new Error('expected INVALID_GEOMETRY');
}

describe('containsPoint', () => {
  const withHole: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)] };

  it('finds interior points and rejects exterior ones', () => {
    expect(containsPoint(withHole, 1, 1)).toBe(true);
    expect(containsPoint(withHole, 11, 5)).toBe(false);
    expect(containsPoint(withHole, -0.001, 5)).toBe(false);
  });

  it('excludes points inside a hole but keeps the hole border', () => {
    expect(containsPoint(withHole, 5, 5)).toBe(false);
    expect(containsPoint(withHole, 4, 5)).toBe(true); // hole edge
    expect(containsPoint(withHole, 6, 6)).toBe(true); // hole vertex
  });

  it('counts outer edges and vertices as inside', () => {
    expect(containsPoint(withHole, 0, 5)).toBe(true);
    expect(containsPoint(withHole, 10, 10)).toBe(true);
    expect(containsPoint(withHole, 5, 0)).toBe(true);
    expect(containsPoint(withHole, 10, 3.3)).toBe(true);
  });

  it('handles a slanted edge, including a point on it', () => {
    const tri: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [0, 4], [0, 0]]] };
    expect(containsPoint(tri, 2, 2)).toBe(true); // on the hypotenuse
    expect(containsPoint(tri, 0.1 + 0.2, 4 - (0.1 + 0.2))).toBe(true); // rounding absorbed
    expect(containsPoint(tri, 2.01, 2.01)).toBe(false);
  });

  it('handles multipolygons, and points on a shared border belong to both', () => {
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(2, 0, 3, 1)]] };
    expect(containsPoint(multi, 0.5, 0.5)).toBe(true);
    expect(containsPoint(multi, 2.5, 0.5)).toBe(true);
    expect(containsPoint(multi, 1.5, 0.5)).toBe(false);
    const left: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] };
    const right: Polygon = { type: 'Polygon', coordinates: [square(1, 0, 2, 1)] };
    expect(containsPoint(left, 1, 0.5)).toBe(true);
    expect(containsPoint(right, 1, 0.5)).toBe(true);
  });

  it('is false for non-finite input', () => {
    expect(containsPoint(withHole, NaN, 1)).toBe(false);
  });
});

describe('rowContainment', () => {
  it('agrees with containsPoint, borders and holes included', () => {
    const shapes: Array<Polygon | MultiPolygon> = [
      { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)] },
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [8, 1], [3, 9], [0, 0]]], [square(8, 8, 10, 10)]] },
    ];
    let checked = 0;
    for (const shape of shapes) {
      for (let lat = -0.5; lat <= 10.5; lat += 0.25) {
        const inRow = rowContainment(shape, lat);
        for (let lon = -0.5; lon <= 10.5; lon += 0.125) {
          expect([lon, lat, inRow(lon)]).toEqual([lon, lat, containsPoint(shape, lon, lat)]);
          checked += containsPoint(shape, lon, lat) ? 1 : 0;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('validateBoundary', () => {
  it('accepts a polygon with a hole and returns 2-D positions without repeats', () => {
    const out = validateBoundary({
      type: 'Polygon',
      coordinates: [
        [[0, 0, 12], [10, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        square(4, 4, 6, 6),
      ],
    });
    expect(out.type).toBe('Polygon');
    expect((out as Polygon).coordinates[0]).toEqual(square(0, 0, 10, 10));
  });

  it('accepts a multipolygon', () => {
    const out = validateBoundary({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(2, 2, 3, 3)]] });
    expect(out.type).toBe('MultiPolygon');
  });

  it.each([
    ['a non-object', 42, /GeoJSON object/],
    ['a Point', { type: 'Point', coordinates: [1, 2] }, /"Point" is not supported/],
    ['an open ring', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, /not closed/],
    ['a short ring', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, /3 positions, at least 4/],
    ['a bow-tie', { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }, /intersects itself/],
    ['a spike folding back', { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]] }, /intersects itself/],
    ['a ring touching itself at a vertex', { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]] }, /intersects itself/],
    ['latitude out of range', { type: 'Polygon', coordinates: [square(0, 80, 1, 91)] }, /latitude 91/],
    ['longitude out of range', { type: 'Polygon', coordinates: [square(179, 0, 181, 1)] }, /longitude 181/],
    ['a string coordinate', { type: 'Polygon', coordinates: [[[0, 0], [1, '0'], [1, 1], [0, 0]]] }, /non-numeric/],
    ['an Infinity coordinate', { type: 'Polygon', coordinates: [[[0, 0], [Infinity, 0], [1, 1], [0, 0]]] }, /non-finite/],
    ['empty coordinates', { type: 'Polygon', coordinates: [] }, /non-empty/],
    ['collinear points', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [2, 0], [0, 0]]] }, /intersects itself|zero area/],
    ['a hole outside its outer ring', { type: 'Polygon', coordinates: [square(0, 0, 1, 1), square(2, 2, 3, 3)] }, /hole 1: position 0 lies outside/],
  ])('rejects %s', (_label, input, message) => {
    expect(geometryError(() => validateBoundary(input)).message).toMatch(message);
  });

  it('names the polygon of a multipolygon that is wrong', () => {
    const err = geometryError(() =>
      validateBoundary({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [[[2, 0], [3, 1], [3, 0], [2, 1], [2, 0]]]] }),
    );
    expect(err.message).toMatch(/^polygon 1, outer ring: ring intersects itself/);
  });

  it('checks 1,000-vertex rings quickly, simple or not', () => {
    const circle = (n: number): Position[] => {
      const ring: Position[] = [];
      for (let i = 0; i < n; i++) {
        const a = (2 * Math.PI * i) / n;
        ring.push([116 + 0.05 * Math.cos(a), 39.9 + 0.05 * Math.sin(a)]);
      }
      ring.push(ring[0]);
      return ring;
    };
    const simple = circle(1000);
    const broken = circle(1000);
    [broken[10], broken[500]] = [broken[500], broken[10]];
    const started = performance.now();
    expect(() => validateBoundary({ type: 'Polygon', coordinates: [simple] })).not.toThrow();
    expect(geometryError(() => validateBoundary({ type: 'Polygon', coordinates: [broken] })).message).toMatch(/intersects itself/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('bbox and Web Mercator', () => {
  it('computes the bounding box of a multipolygon', () => {
    expect(bbox({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(2, -1, 3, 3)]] })).toEqual({
      minLon: 0,
      minLat: -1,
      maxLon: 3,
      maxLat: 3,
    });
  });

  it('projects known points (EPSG:3857) and back', () => {
    expect(toWebMercator(0, 0)).toEqual({ x: 0, y: 0 });
    const p = toWebMercator(180, 85.0511287798066);
    expect(p.x).toBeCloseTo(20037508.342789244, 6);
    expect(p.y).toBeCloseTo(20037508.342789244, 3);
    const beijing = toWebMercator(116.391, 39.907);
    expect(beijing.x).toBeCloseTo((116.391 * 20037508.342789244) / 180, 6);
    expect(beijing.y).toBeCloseTo(6378137 * Math.log(Math.tan(Math.PI / 4 + (39.907 * Math.PI) / 360)), 6);
    expect(toWebMercator(0, 45).y).toBeCloseTo(5621521.486192066, 6);
    const back = fromWebMercator(beijing.x, beijing.y);
    expect(back.lon).toBeCloseTo(116.391, 10);
    expect(back.lat).toBeCloseTo(39.907, 10);
  });
});
