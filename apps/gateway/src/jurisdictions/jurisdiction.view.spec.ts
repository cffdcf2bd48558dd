import { JurisdictionTree } from '@tiergate/domain';
import { statsOf } from './jurisdiction.view';

const n = (id: string, parentId: string | null, tier: string) => ({ id, code: id, name: id, tier, parentId, boundary: null });
const tree = new JurisdictionTree([n('r', null, 'sub-bureau'), n('s1', 'r', 'station'), n('s2', 'r', 'station'), n('p1', 's1', 'post'), n('p2', 's1', 'post')]);

describe('statsOf', () => {
  it('sums cameras over subtrees and per tier, for visible nodes only', () => {
    const cams = new Map([['p1', 3], ['p2', 4], ['s1', 1], ['s2', 5]]);
    const s = statsOf(tree, () => true, cams, new Map([['s1', 2]]));
    const by = Object.fromEntries(s.nodes.map((x) => [x.id, x]));
    expect(by.r.camerasInSubtree).toBe(13);
    expect(by.s1).toEqual(expect.objectContaining({ cameras: 1, camerasInSubtree: 8, users: 2 }));
    expect(s.tiers).toEqual([
      { tier: 'sub-bureau', nodes: 1, cameras: 0 },
      { tier: 'station', nodes: 2, cameras: 6 },
      { tier: 'post', nodes: 2, cameras: 7 },
    ]);
    const scoped = statsOf(tree, (id) => tree.isInSubtree('s1', id), cams, new Map());
    expect(scoped.nodes.map((x) => x.id)).toEqual(['s1', 'p1', 'p2']);
  });
});
