import { loadPureConsoleModule } from './console-pure-modules';

/** apps/gateway/console/interior-point.js: where "place by jurisdiction name" puts a camera. */
const { interiorPoint } = loadPureConsoleModule('interior-point.js', ['interiorPoint']);

/** Even-odd point-in-polygon over every ring (holes included). */
function inside(rings: number[][][], lon: number, lat: number): boolean {
  let c = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[j]!;
      const [x2, y2] = ring[i]!;
      if ((y1! > lat) !== (y2! > lat) && lon < x1! + ((lat - y1!) * (x2! - x1!)) / (y2! - y1!)) c = !c;
    }
  }
  return c;
}

describe('interiorPoint', () => {
  it('is the middle of a square', () => {
    const sq = { type: 'Polygon', coordinates: [[[116.3, 39.9], [116.33, 39.9], [116.33, 39.93], [116.3, 39.93], [116.3, 39.9]]] };
    const p = interiorPoint(sq);
    expect(p.lat).toBeCloseTo(39.915, 9);
    expect(p.lon).toBeCloseTo(116.315, 9);
  });

  it('lies inside a U-shaped post whose centroid does not', () => {
    // a U: two arms joined at the bottom; the centre of the bounding box is in the gap between the arms
    const u = [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]];
    expect(inside(u, 1.5, 1.5)).toBe(false);
    const p = interiorPoint({ type: 'Polygon', coordinates: u });
    expect(inside(u, p.lon, p.lat)).toBe(true);
  });

  it('avoids a hole and takes the largest part of a MultiPolygon (also as a Feature)', () => {
    const holed = [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]];
    const p = interiorPoint({ type: 'Polygon', coordinates: holed });
    expect(inside(holed, p.lon, p.lat)).toBe(true);
    const small = [[[10, 10], [10.1, 10], [10.1, 10.1], [10, 10.1], [10, 10]]];
    const q = interiorPoint({ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [small, holed] } });
    expect(inside(holed, q.lon, q.lat)).toBe(true);
  });

  it('answers null without a polygon', () => {
    expect(interiorPoint(null)).toBeNull();
    expect(interiorPoint({ type: 'Point', coordinates: [1, 2] })).toBeNull();
  });
});
