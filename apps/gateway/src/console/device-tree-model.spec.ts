import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { locateConsoleDir } from './console-assets';

/**
 * The console's device tree model (apps/gateway/console/device-tree-model.js) is a plain ES module for the browser
 * with no imports; it is read as text and evaluated in an empty context (its `export`s dropped), so the spec runs
 * exactly the code the browser loads.
 */
const EXPORTS = ['buildTree', 'walk', 'recount', 'findCamera', 'setCameraStatus', 'holdsCameras', 'camerasUnder', 'normalizeText', 'makePinyinInitials', 'nameMatches', 'filterTree', 'UNASSIGNED_ID'];
function loadModel(): Record<string, any> {
  const source = readFileSync(join(locateConsoleDir(), 'device-tree-model.js'), 'utf8');
  expect(source).not.toMatch(/^\s*import\s/m);
  const context: { result?: Record<string, any> } = {};
  runInNewContext(`${source.replace(/^export /gm, '')}\nresult = { ${EXPORTS.join(', ')} };`, context);
  return context.result!;
}

const m = loadModel();
const J = [
  { id: 'sb', name: 'River Sub-bureau', tier: 'sub-bureau', parentId: null },
  { id: 'st2', name: 'South Station', tier: 'station', parentId: 'sb' },
  { id: 'st1', name: 'North Station', tier: 'station', parentId: 'sb' },
  { id: 'p1', name: 'Elm Post', tier: 'post', parentId: 'st1' },
  { id: 'p2', name: '和平里警务室', tier: 'post', parentId: 'st1' },
  { id: 'p3', name: 'Birch Post', tier: 'post', parentId: 'st2' },
];
const C = [
  { id: 'c1', name: 'Elm gate', jurisdictionId: 'p1', status: 'online' },
  { id: 'c2', name: 'Elm garage', jurisdictionId: 'p1', status: 'offline' },
  { id: 'c3', name: '北门岗亭', jurisdictionId: 'p2', status: 'online' },
  { id: 'c4', name: 'Station yard', jurisdictionId: 'st1', status: 'unauthorized' },
  { id: 'c5', name: 'Birch lane', jurisdictionId: 'p3', status: 'weird' },
  { id: 'c6', name: 'Loose cam', jurisdictionId: null, status: 'online' },
];
const names = (nodes: any[]) => nodes.map((n) => n.name);

describe('console device tree model', () => {
  it('builds sub-bureau → station → post with cameras, siblings by name, unplaced cameras in their own group', () => {
    const tree = m.buildTree(J, C, { unassignedName: 'No jurisdiction' });
    expect(names(tree.roots)).toEqual(['River Sub-bureau', 'No jurisdiction']);
    const sb = tree.nodes.get('sb');
    expect(names(sb.children)).toEqual(['North Station', 'South Station']);
    expect(tree.nodes.get('p1').cameras.map((c: any) => c.id)).toEqual(['c1', 'c2']);
    expect(tree.nodes.get('p1').depth).toBe(2);
    expect(tree.cameraNode.get('c6')).toBe(m.UNASSIGNED_ID);
    const order: string[] = [];
    m.walk(tree, (n: any) => order.push(n.id));
    expect(order).toEqual(['sb', 'st1', 'p1', 'p2', 'st2', 'p3', '']);
  });

  it('counts statuses over each subtree; an unknown status counts as unknown', () => {
    const tree = m.buildTree(J, C);
    expect({ ...tree.nodes.get('p1').counts }).toEqual({ online: 1, offline: 1, unauthorized: 0, unknown: 0, total: 2 });
    expect({ ...tree.nodes.get('st1').counts }).toEqual({ online: 2, offline: 1, unauthorized: 1, unknown: 0, total: 4 });
    expect({ ...tree.nodes.get('sb').counts }).toEqual({ online: 2, offline: 1, unauthorized: 1, unknown: 1, total: 5 });
  });

  it('a status change moves the counts of the node and every ancestor, and nothing for an unknown camera or the same status', () => {
    const tree = m.buildTree(J, C);
    expect(m.setCameraStatus(tree, 'c1', 'offline')).toEqual(['p1', 'st1', 'sb']);
    expect(tree.nodes.get('p1').counts.online).toBe(0);
    expect(tree.nodes.get('st1').counts.offline).toBe(2);
    expect(tree.nodes.get('sb').counts.offline).toBe(2);
    expect(tree.nodes.get('st2').counts.offline).toBe(0);
    expect(m.findCamera(tree, 'c1').status).toBe('offline');
    expect(m.setCameraStatus(tree, 'c1', 'offline')).toEqual([]);
    expect(m.setCameraStatus(tree, 'nope', 'online')).toEqual([]);
    // The incremental counts agree with a recount from scratch.
    const incremental = JSON.stringify([...tree.nodes.values()].map((n: any) => n.counts));
    m.recount(tree);
    expect(JSON.stringify([...tree.nodes.values()].map((n: any) => n.counts))).toBe(incremental);
  });

  it('a list asked again that the tree holds already is recognised (so not drawn again); any difference is not', () => {
    const tree = m.buildTree(J, C);
    expect(m.holdsCameras(tree, C.map((c) => ({ ...c })))).toBe(true);
    // A status the push channel gave meanwhile: the list that says the same is held; the older one is not.
    m.setCameraStatus(tree, 'c1', 'offline');
    expect(m.holdsCameras(tree, C)).toBe(false);
    const now = C.map((c) => (c.id === 'c1' ? { ...c, status: 'offline' } : c));
    expect(m.holdsCameras(tree, now)).toBe(true);
    const changed = (f: (list: any[]) => any[]) => m.holdsCameras(tree, f(now.map((c) => ({ ...c }))));
    expect(changed((l) => l.slice(1))).toBe(false); // one gone
    expect(changed((l) => [...l, { id: 'c7', name: 'New', jurisdictionId: 'p1', status: 'online' }])).toBe(false); // one added
    expect(changed((l) => l.map((c) => (c.id === 'c3' ? { ...c, name: '北门' } : c)))).toBe(false); // renamed
    expect(changed((l) => l.map((c) => (c.id === 'c3' ? { ...c, jurisdictionId: 'p1' } : c)))).toBe(false); // moved
    expect(changed((l) => l.map((c) => (c.id === 'c3' ? { ...c, ptz: true } : c)))).toBe(false); // another field
    expect(changed((l) => [l[1], l[0], ...l.slice(2)])).toBe(false); // c1 and c2 swapped in Elm Post
    expect(changed((l) => l.map((c) => (c.id === 'c1' ? { ...c, id: 'c9' } : c)))).toBe(false); // another camera
  });

  it('a node shared by a grant whose parent is not visible is a root; a post gives its subtree cameras in order', () => {
    const tree = m.buildTree(J.filter((j) => j.id === 'st1' || j.parentId === 'st1' || j.id === 'p3'), C.filter((c) => c.id !== 'c6'));
    expect(names(tree.roots)).toEqual(['Birch Post', 'North Station']);
    expect(m.camerasUnder(tree, 'st1').map((c: any) => c.id)).toEqual(['c4', 'c1', 'c2', 'c3']);
    expect(m.camerasUnder(tree, 'p1').map((c: any) => c.id)).toEqual(['c1', 'c2']);
    expect(m.camerasUnder(tree, 'missing')).toEqual([]);
  });

  it('search: substring, case- and width-insensitive, over camera and node names, keeping the ancestors of a match', () => {
    const tree = m.buildTree(J, C);
    const gate = m.filterTree(tree, '  GATE ');
    expect([...gate.cameras]).toEqual(['c1']);
    expect([...gate.nodes].sort()).toEqual(['p1', 'sb', 'st1']);
    expect([...gate.expand].sort()).toEqual(['p1', 'sb', 'st1']);
    // A node matching by name shows everything under it, its own children left closed.
    const north = m.filterTree(tree, 'north');
    expect([...north.cameras].sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect([...north.nodes].sort()).toEqual(['p1', 'p2', 'sb', 'st1']);
    expect([...north.expand].sort()).toEqual(['sb', 'st1']);
    expect(m.filterTree(tree, 'ｅｌｍ').matches).toBe(2); // full-width letters
    expect(m.filterTree(tree, '   ')).toBeNull();
    expect(m.filterTree(tree, 'zzz').nodes.size).toBe(0);
    expect(m.filterTree(tree, '和平').cameras.has('c3')).toBe(true);
  });

  it('pinyin initials from the collation data, used for Latin queries on Chinese names only', () => {
    const initials = m.makePinyinInitials(new Intl.Collator('zh-CN'));
    expect(initials).not.toBeNull();
    expect(initials('北门岗亭 2')).toBe('bmgt2');
    expect(initials('和平里社区警务室')).toBe('hplsqjws');
    expect(initials('Elm 门')).toBe('elmm');
    const tree = m.buildTree(J, C);
    const bm = m.filterTree(tree, 'BM', { initials });
    expect([...bm.cameras]).toEqual(['c3']);
    expect([...m.filterTree(tree, 'hpl', { initials }).cameras]).toEqual(['c3']);
    // Without the helper a Latin query does not reach Chinese names; a Latin name is never matched by initials.
    expect(m.filterTree(tree, 'bm').cameras.size).toBe(0);
    expect(m.nameMatches('Big Mill', 'bm', initials)).toBe(false);
    // A collator that is not Chinese gives no pinyin at all (rather than wrong letters).
    expect(m.makePinyinInitials(new Intl.Collator('en'))).toBeNull();
    expect(m.makePinyinInitials(null)).toBeNull();
  });
});
