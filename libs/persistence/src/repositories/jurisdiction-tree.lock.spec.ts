import { treeVersionOf } from './jurisdiction-tree.lock';

describe('treeVersionOf', () => {
  const rows = [
    { id: 'b', xmin: '771' },
    { id: 'a', xmin: '770' },
  ];

  it('is the same for the same rows in any order', () => {
    expect(treeVersionOf(rows)).toBe(treeVersionOf([...rows].reverse()));
  });

  it('changes when a node is rewritten, added or removed', () => {
    const v = treeVersionOf(rows);
    expect(treeVersionOf([rows[0], { id: 'a', xmin: '802' }])).not.toBe(v);
    expect(treeVersionOf([...rows, { id: 'c', xmin: '802' }])).not.toBe(v);
    expect(treeVersionOf([rows[0]])).not.toBe(v);
    expect(treeVersionOf([])).not.toBe(v);
  });
});
