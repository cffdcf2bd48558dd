import { JurisdictionTree } from '@tiergate/domain';
import { movesOf } from './point.reassigner';

const sq = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]] as [number, number][]] });
const tree = new JurisdictionTree([
  { id: 'st', code: '02', name: 'st', tier: 'station', parentId: null, boundary: sq(0, 0, 2, 1) },
  { id: 'pa', code: '0201', name: 'a', tier: 'post', parentId: 'st', boundary: sq(0, 0, 1, 1) },
  { id: 'pb', code: '0202', name: 'b', tier: 'post', parentId: 'st', boundary: sq(1, 0, 2, 1) },
]);

describe('movesOf', () => {
  it('moves rows to the deepest node, a border to the smaller code, and leaves rows outside every boundary', () => {
    const rows = [
      { id: '1', lon: 0.5, lat: 0.5, jurisdictionId: 'st' },
      { id: '2', lon: 1, lat: 0.5, jurisdictionId: 'pb' },
      { id: '3', lon: 1.5, lat: 0.5, jurisdictionId: 'pb' },
      { id: '4', lon: 5, lat: 5, jurisdictionId: 'pa' },
    ];
    expect(movesOf(rows, tree)).toEqual([
      ['1', 'pa'],
      ['2', 'pa'],
    ]);
  });
});
