import type { MqttBus } from '@tiergate/messaging';
import type { JurisdictionsRepository, Tx } from '@tiergate/persistence';
import { JurisdictionTreeCache, TREE_MAX_AGE_MS } from './jurisdiction-tree.cache';

const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };

type Row = { id: string; code: string; name: string; tier: string; parentId: string | null; boundary: object; xmin?: string };
/** The stored version the way the repository computes it: ids and row versions only. */
const versionOf = (rows: readonly Row[]) => rows.map((r) => `${r.id}:${r.xmin ?? '1'}`).join(',');

/**
 * An in-memory JurisdictionsRepository: the pool sees `rows`; a transaction made by `transaction(rows)` sees its
 * own rows and records what was asked of it (lock, version, load), in order.
 */
function fakes() {
  let rows: Row[] = [{ id: 'a', code: 'A', name: 'A', tier: 'station', parentId: null, boundary: square }];
  let handler: ((topic: string, payload: unknown) => void) | undefined;
  let queries = 0;
  const transactions = new WeakMap<Tx, { rows: Row[]; statements: string[] }>();
  const seen = (tx: Tx) => transactions.get(tx)!;
  const repo = {
    loadTree: async (tx?: Tx) => {
      if (tx) seen(tx).statements.push('load');
      else queries++;
      const r = tx ? seen(tx).rows : rows;
      return { nodes: r.map(({ xmin: _x, ...node }) => node), version: versionOf(r) };
    },
    treeVersion: async (tx?: Tx) => {
      if (tx) seen(tx).statements.push('version');
      else queries++;
      return versionOf(tx ? seen(tx).rows : rows);
    },
    lockForPlacement: async (tx: Tx) => void seen(tx).statements.push('lock'),
  } as unknown as JurisdictionsRepository;
  const bus = { subscribe: async (_: string, h: typeof handler) => ((handler = h), async () => undefined) } as unknown as MqttBus;
  /** An open transaction that sees `txRows`. */
  const transaction = (txRows: Row[]) => {
    const tx = {} as Tx;
    transactions.set(tx, { rows: txRows, statements: [] });
    return { m: tx, statements: seen(tx).statements };
  };
  return { ds: repo, bus, transaction, setRows: (r: Row[]) => (rows = r), fire: () => handler!('t', {}), queries: () => queries };
}

describe('JurisdictionTreeCache', () => {
  it('loads once, and again after a change notice from the bus', async () => {
    const f = fakes();
    const cache = new JurisdictionTreeCache(f.ds, f.bus);
    await cache.onModuleInit();
    expect((await cache.tree()).size).toBe(1);
    await cache.tree();
    expect(f.queries()).toBe(1);
    f.setRows([{ id: 'a', code: 'A', name: 'A', tier: 'station', parentId: null, boundary: square }, { id: 'b', code: 'B', name: 'B', tier: 'post', parentId: 'a', boundary: square }]);
    f.fire();
    const tree = await cache.tree();
    expect(tree.size).toBe(2);
    expect(tree.locate(0.5, 0.5)?.id).toBe('b');
  });

  it('reloads a tree older than the maximum age (a lost change notice)', async () => {
    const f = fakes();
    const cache = new JurisdictionTreeCache(f.ds, f.bus);
    const t0 = Date.now();
    await cache.tree(t0);
    await cache.tree(t0 + TREE_MAX_AGE_MS - 1);
    expect(f.queries()).toBe(1);
    await cache.tree(t0 + TREE_MAX_AGE_MS + 1);
    expect(f.queries()).toBe(2);
  });

  it('does not keep a tree loaded before an invalidation that arrived during the load', async () => {
    const f = fakes();
    const cache = new JurisdictionTreeCache(f.ds, f.bus);
    const pending = cache.tree();
    f.setRows([]);
    cache.invalidate();
    expect((await pending).size).toBe(0);
  });

  describe('treeIn (inside a transaction)', () => {
    const nodeA = { id: 'a', code: 'A', name: 'A', tier: 'station', parentId: null, boundary: square, xmin: '100' };
    const nodeB = { id: 'b', code: 'B', name: 'B', tier: 'post', parentId: 'a', boundary: square, xmin: '101' };

    it('takes the tree lock first and answers the cached tree itself while the stored version is the same', async () => {
      const f = fakes();
      f.setRows([nodeA]);
      const cache = new JurisdictionTreeCache(f.ds, f.bus);
      const cached = await cache.tree();
      const tx = f.transaction([nodeA]);
      expect(await cache.treeIn(tx.m)).toBe(cached);
      expect(tx.statements[0]).toBe('lock');
      expect(tx.statements).toHaveLength(2); // the lock and the version: no boundaries read
    });

    it('loads the tree on the transaction (never on the pool) when it changed, and shares it with later callers', async () => {
      const f = fakes();
      f.setRows([nodeA]);
      const cache = new JurisdictionTreeCache(f.ds, f.bus);
      const stale = await cache.tree();
      const tx = f.transaction([nodeA, nodeB]);
      const fresh = await cache.treeIn(tx.m);
      expect(fresh).not.toBe(stale);
      expect(fresh.locate(0.5, 0.5)?.id).toBe('b');
      expect(f.queries()).toBe(1);
      expect(await cache.tree()).toBe(fresh);
      expect(f.queries()).toBe(1);
    });

    it('loads on the transaction when nothing is cached yet, and tells a rewritten node from an unchanged one', async () => {
      const f = fakes();
      const cache = new JurisdictionTreeCache(f.ds, f.bus);
      const first = await cache.treeIn(f.transaction([nodeA]).m);
      expect(f.queries()).toBe(0);
      expect(await cache.treeIn(f.transaction([nodeA]).m)).toBe(first);
      expect(await cache.treeIn(f.transaction([{ ...nodeA, xmin: '200' }]).m)).not.toBe(first);
    });
  });
});
