import { generateDistrict } from '../demo';
import { borderLength, checkContainment, CONTAINMENT_TOLERANCE_DEG } from './boundary-containment.geometry';
import type { Geometry, LinearRing, Polygon } from './geojson.types';

const square = (x0: number, y0: number, x1: number, y1: number): LinearRing => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: LinearRing[]): Polygon => ({ type: 'Polygon', coordinates: rings });

describe('checkContainment (nesting with a tolerance for shared borders)', () => {
  const station = poly(square(123.4, 41.7, 123.5, 41.8));

  it('accepts equal boundaries, shared borders and a boundary well inside', () => {
    expect(checkContainment(station, station).within).toBe(true);
    expect(checkContainment(poly(square(123.4, 41.7, 123.45, 41.8)), station)).toMatchObject({ within: true, outsideArea: 0 });
    expect(checkContainment(poly(square(123.42, 41.72, 123.44, 41.74)), station).within).toBe(true);
  });

  it('accepts a border that wanders outside within the tolerance (rounding), refuses one beyond it', () => {
    const within = checkContainment(poly(square(123.4 - CONTAINMENT_TOLERANCE_DEG / 2, 41.7, 123.45, 41.8)), station);
    expect(within.within).toBe(true);
    expect(within.outsideArea).toBeGreaterThan(0);
    expect(within.farthest!.distance).toBeLessThanOrEqual(CONTAINMENT_TOLERANCE_DEG);
    expect(checkContainment(poly(square(123.4 - 1e-5, 41.7, 123.45, 41.8)), station).within).toBe(false); // 1.1 m
  });

  it('refuses a needle that has almost no area (rule 2)', () => {
    const needle = poly([
      [123.4, 41.7],
      [123.5, 41.7],
      [123.5, 41.75],
      [123.6, 41.7500000001], // 8 km east of the station, 1e-10° wide
      [123.5, 41.7500000002],
      [123.5, 41.8],
      [123.4, 41.8],
      [123.4, 41.7],
    ]);
    const report = checkContainment(needle, station);
    expect(report.outsideArea).toBeLessThan(report.allowedArea);
    expect(report.within).toBe(false);
    expect(report.farthest!.position[0]).toBeCloseTo(123.6, 6);
  });

  it('refuses a post that covers the whole district (the takeover of issue 11)', () => {
    const district = generateDistrict({ stations: 4, postsPerStation: 4, seed: 11 });
    const post = district.features.find((f) => f.properties.tier === 'post')!;
    const report = checkContainment(district.features[0].geometry, post.geometry);
    expect(report.within).toBe(false);
    expect(report.outsideArea).toBeGreaterThan(100 * report.allowedArea);
  });

  it('refuses a child that spans the mouth of a concave parent, or covers its hole', () => {
    const horseshoe = poly([
      [0, 0],
      [3, 0],
      [3, 3],
      [2, 3],
      [2, 1],
      [1, 1],
      [1, 3],
      [0, 3],
      [0, 0],
    ]);
    expect(checkContainment(poly(square(0, 0, 3, 1)), horseshoe).within).toBe(true);
    expect(checkContainment(poly(square(0.5, 0.5, 2.5, 2)), horseshoe).within).toBe(false);
    const ring = poly(square(0, 0, 4, 4), square(1, 1, 3, 3));
    expect(checkContainment(poly(square(0, 0, 4, 1)), ring).within).toBe(true);
    expect(checkContainment(poly(square(0.5, 0.5, 3.5, 3.5)), ring).within).toBe(false);
  });

  it('handles multipolygons on both sides', () => {
    const two: Geometry = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(2, 0, 3, 1)]] };
    expect(checkContainment({ type: 'MultiPolygon', coordinates: [[square(0, 0, 0.5, 1)], [square(2.5, 0, 3, 1)]] }, two).within).toBe(true);
    expect(checkContainment(poly(square(0, 0, 3, 1)), two).within).toBe(false);
  });

  it('the allowed area is the tolerance times the border length', () => {
    expect(borderLength(station)).toBeCloseTo(0.4, 12);
    expect(checkContainment(station, station).allowedArea).toBeCloseTo(0.4 * CONTAINMENT_TOLERANCE_DEG, 15);
  });

  it.each([
    ['the demo district', {}],
    ['the test district', { stations: 4, postsPerStation: 4, seed: 11 }],
    ['a 3 x 2 district', { stations: 3, postsPerStation: 2, seed: 5 }],
  ])('%s nests: every station within the sub-bureau, every post within its station', (_label, options) => {
    const district = generateDistrict(options);
    const byCode = new Map(district.features.map((f) => [f.properties.code, f]));
    for (const f of district.features) {
      if (f.properties.parentCode === null) continue;
      expect([f.properties.code, checkContainment(f.geometry, byCode.get(f.properties.parentCode)!.geometry).within]).toEqual([f.properties.code, true]);
    }
  });
});
