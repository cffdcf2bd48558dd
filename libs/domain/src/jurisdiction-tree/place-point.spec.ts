import type { Polygon } from '../geo/geojson.types';
import { JurisdictionTree } from './jurisdiction.tree';
import { placePoint } from './place-point';

const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

// Two stations side by side sharing the edge x = 1, one post each filling its station.
const tree = new JurisdictionTree([
  { id: 'a', code: 'A', name: 'A', tier: 'station', parentId: null, boundary: square(0, 0, 1, 1) },
  { id: 'b', code: 'B', name: 'B', tier: 'station', parentId: null, boundary: square(1, 0, 2, 1) },
  { id: 'a1', code: 'A1', name: 'A1', tier: 'post', parentId: 'a', boundary: square(0, 0, 1, 1) },
  { id: 'b1', code: 'B1', name: 'B1', tier: 'post', parentId: 'b', boundary: square(1, 0, 2, 1) },
]);

describe('placePoint', () => {
  it('gives a point on a shared border to the smallest code, whoever asks', () => {
    expect(placePoint(tree, 1, 0.5)).toEqual({ kind: 'placed', jurisdictionId: 'a1' });
    expect(placePoint(tree, 1, 0.5, tree.subtreeIds('a'))).toEqual({ kind: 'placed', jurisdictionId: 'a1' });
    // B's admin touches the point with its own boundary, but the point is A1's.
    expect(placePoint(tree, 1, 0.5, tree.subtreeIds('b'))).toEqual({ kind: 'outside-administered', ownerId: 'a1' });
  });

  it('places inside points in the deepest node and reports points outside every boundary', () => {
    expect(placePoint(tree, 1.5, 0.5, tree.subtreeIds('b'))).toEqual({ kind: 'placed', jurisdictionId: 'b1' });
    expect(placePoint(tree, 1.5, 0.5, tree.subtreeIds('a'))).toEqual({ kind: 'outside-administered', ownerId: 'b1' });
    expect(placePoint(tree, 5, 5)).toEqual({ kind: 'outside-every' });
    expect(placePoint(tree, Number.NaN, 0)).toEqual({ kind: 'outside-every' });
  });
});
