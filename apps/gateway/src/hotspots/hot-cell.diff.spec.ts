import { diffHotCells } from './hot-cell.diff';

describe('diffHotCells', () => {
  it('announces new hot cells and grown ones, ignores cooler and unchanged cells', () => {
    const cells = [
      { x: 1, y: 1, count: 9, z: 3.1 }, // grown
      { x: 2, y: 2, count: 5, z: 2.0 }, // new
      { x: 3, y: 3, count: 4, z: 2.5 }, // unchanged
      { x: 4, y: 4, count: 7, z: 1.9 }, // only 90 %: neither announced nor kept
    ];
    const { changes, state } = diffHotCells({ '1,1': 6, '3,3': 4, '9,9': 2 }, cells);
    expect(changes).toEqual([
      { kind: 'grown', cell: { x: 1, y: 1, count: 9, z: 3.1 } },
      { kind: 'new', cell: { x: 2, y: 2, count: 5, z: 2.0 } },
    ]);
    expect(state).toEqual({ '1,1': 9, '2,2': 5, '3,3': 4 });
  });
});
