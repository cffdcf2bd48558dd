import { fromWebMercator } from '../geo';
import { confidenceOf, HotspotCell } from './gi-star.calculator';
import { AreaCameraInput, AreaPost, connectedHotCells, hotspotAreas } from './hotspot-areas';

const SIZE = 250;
/** A Gi* cell at indices (x, y) with z and count; centres as computeHotspots gives them. */
function cell(x: number, y: number, z: number, count = 1): HotspotCell {
  const centreMercator = { x: (x + 0.5) * SIZE, y: (y + 0.5) * SIZE };
  const { lat, lon } = fromWebMercator(centreMercator.x, centreMercator.y);
  return { x, y, z, count, p: 0.01, confidence: confidenceOf(z), centre: { lat, lon }, centreMercator };
}
// Cells near 41.8° N (Shenyang): x ≈ 123.4° E / 250 m, y ≈ 41.8° N / 250 m.
const X0 = 54_940;
const Y0 = 20_530;
const at = (dx: number, dy: number, z: number, count = 1) => cell(X0 + dx, Y0 + dy, z, count);
const keys = (cells: Array<{ x: number; y: number }>) => cells.map((c) => `${c.x - X0},${c.y - Y0}`);
const cam = (id: string, dx: number, dy: number, tags: string[] = [], name = id): AreaCameraInput => ({ id, name, tags, x: (X0 + dx) * SIZE, y: (Y0 + dy) * SIZE });
const WEST: AreaPost = { id: 'w', code: 'P2', name: 'West post', tier: 'post' };
const EAST: AreaPost = { id: 'e', code: 'P1', name: 'East post', tier: 'post' };
/** Cells west of dx = 3 are the west post's, the others the east post's. */
const locate = (lon: number): AreaPost => (lon < fromWebMercator((X0 + 3) * SIZE, 0).lon ? WEST : EAST);

describe('connectedHotCells', () => {
  it('merges cells sharing an edge or only a corner, keeps a gap of one cell apart, and never joins cold cells', () => {
    const cells = [at(0, 0, 3), at(1, 0, 2), at(2, 1, 2.2), at(4, 1, 1.7), at(3, 0, -3), at(5, 5, 2), at(6, 6, 1.9)];
    const groups = connectedHotCells(cells, 90);
    expect(groups.map(keys)).toEqual([['0,0', '2,1', '1,0'], ['5,5', '6,6'], ['4,1']]);
  });

  it('applies the level to each cell: a cell below it splits an area and is left out', () => {
    const chain = [at(0, 0, 3.1), at(1, 0, 1.8), at(2, 0, 2.7), at(3, 0, 2.0)];
    expect(connectedHotCells(chain, 90).map(keys)).toEqual([['0,0', '2,0', '3,0', '1,0']]);
    expect(connectedHotCells(chain, 95).map(keys)).toEqual([['0,0'], ['2,0', '3,0']]);
    expect(connectedHotCells(chain, 99).map(keys)).toEqual([['0,0'], ['2,0']]);
    // The thresholds are inclusive, as confidenceOf's.
    expect(connectedHotCells([at(0, 0, 1.645), at(5, 0, 1.6449)], 90).map(keys)).toEqual([['0,0']]);
  });
});

describe('hotspotAreas', () => {
  const cells = [at(0, 0, 3.0, 40), at(1, 0, 2.1, 20), at(2, 0, 1.7, 5), at(3, 1, 1.8, 0), at(10, 10, 2.0, 90)];
  const cameras = [
    cam('c-far', 20, 20),
    cam('c-inside', 0.5, 0.5, [], 'Gate 1'),
    cam('g-near', 4.5, 2.5, ['garage', 'east'], 'East shed'),
    cam('c-edge', -1, 0.5), // 250 m west of the area's western edge
    cam('c-corner', 5, 3), // from the corner (4, 2) of cell (3, 1): hypot(250, 250) ≈ 354 m
    cam('c-out', -3, 0.5), // 750 m west: beyond the 500 m radius
  ];
  const areas = hotspotAreas({ cells, cellSize: SIZE, radius: 500, level: 90, locate, cameras });

  it('sums the incidents, takes the peak cell\'s confidence, orders by level then incidents', () => {
    expect(areas.map((a) => a.id)).toEqual([`${X0},${Y0}`, `${X0 + 10},${Y0 + 10}`]);
    const [first, second] = areas;
    expect(first.count).toBe(65);
    expect(first.confidence).toBe('hot-99');
    expect(first.level).toBe(99);
    expect(keys(first.cells)).toEqual(['0,0', '1,0', '3,1', '2,0']);
    expect(second).toEqual(expect.objectContaining({ count: 90, confidence: 'hot-95', level: 95 }));
  });

  it('puts the centroid at the mean of the cell centres and the bounds around the squares', () => {
    const [first] = areas;
    const mean = fromWebMercator(((X0 + 0.5) + (X0 + 1.5) + (X0 + 2.5) + (X0 + 3.5)) / 4 * SIZE, ((Y0 + 0.5) * 3 + (Y0 + 1.5)) / 4 * SIZE);
    expect(first.centroid.lon).toBeCloseTo(mean.lon, 10);
    expect(first.centroid.lat).toBeCloseTo(mean.lat, 10);
    const sw = fromWebMercator(X0 * SIZE, Y0 * SIZE);
    const ne = fromWebMercator((X0 + 4) * SIZE, (Y0 + 2) * SIZE);
    expect(first.bounds).toEqual({ south: sw.lat, west: sw.lon, north: ne.lat, east: ne.lon });
  });

  it('lists the cameras within the radius of the area by distance to its nearest cell, and names it after the nearest garage', () => {
    const [first] = areas;
    expect(first.cameras.map((c) => c.id)).toEqual(['c-inside', 'g-near', 'c-edge', 'c-corner']);
    const [inside, garage, edge, corner] = first.cameras;
    expect(inside.distance).toBe(0);
    expect(edge.distance).toBeCloseTo(250, 6);
    expect(corner.distance).toBeCloseTo(Math.hypot(250, 250), 6);
    expect(garage.distance).toBeCloseTo(Math.hypot(125, 125), 6); // (4.5, 2.5) to the corner (4, 2) of cell (3, 1)
    const scale = Math.cos((first.centroid.lat * Math.PI) / 180);
    expect(edge.groundDistance).toBe(Math.round(250 * scale));
    expect(garage).toEqual(expect.objectContaining({ garage: true, name: 'East shed' }));
    // A garage names the area even when a plain camera is nearer.
    expect(first.landmark).toEqual({ cameraId: 'g-near', name: 'East shed', kind: 'garage', groundDistance: garage.groundDistance });
    // Without a garage, the nearest camera; without any camera, none.
    const [second] = areas.slice(1);
    expect(second.cameras.map((c) => c.id)).toEqual([]);
    expect(second.landmark).toBeNull();
    const plain = hotspotAreas({ cells, cellSize: SIZE, radius: 500, level: 90, locate, cameras: cameras.filter((c) => !c.tags.length) });
    expect(plain[0].landmark).toEqual(expect.objectContaining({ cameraId: 'c-inside', name: 'Gate 1', kind: 'camera', groundDistance: 0 }));
  });

  it('caps the cameras of an area', () => {
    const many = Array.from({ length: 40 }, (_, i) => cam(`k${String(i).padStart(2, '0')}`, 0.5, 0.5));
    const [first] = hotspotAreas({ cells, cellSize: SIZE, radius: 500, level: 90, locate, cameras: many, maxCameras: 25 });
    expect(first.cameras.map((c) => c.id)).toEqual(many.slice(0, 25).map((c) => c.id)); // ties by id
  });

  it('takes the post holding most cells; a tie goes to more incidents, then the smaller code; none outside every node', () => {
    expect(areas[0].post).toEqual(WEST); // 3 of 4 cells west of dx = 3
    const tie = hotspotAreas({ cells: [at(2, 0, 2, 1), at(3, 0, 2, 5)], cellSize: SIZE, radius: 500, level: 90, locate, cameras: [] });
    expect(tie[0].post).toEqual(EAST);
    const even = hotspotAreas({ cells: [at(2, 0, 2, 3), at(3, 0, 2, 3)], cellSize: SIZE, radius: 500, level: 90, locate, cameras: [] });
    expect(even[0].post).toEqual(EAST); // code P1 < P2
    const nowhere = hotspotAreas({ cells: [at(0, 0, 2)], cellSize: SIZE, radius: 500, level: 90, locate: () => undefined, cameras: [] });
    expect(nowhere[0].post).toBeNull();
  });

  it('answers nothing when no cell reaches the level', () => {
    expect(hotspotAreas({ cells: [at(0, 0, 2.5), at(1, 1, -4)], cellSize: SIZE, radius: 500, level: 99, locate, cameras: [] })).toEqual([]);
  });
});
