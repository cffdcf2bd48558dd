import type { DataSource, EntityManager } from 'typeorm';
import type { MqttBus } from '@tiergate/messaging';
import { JurisdictionsRepository, Transactor, Tx } from '@tiergate/persistence';
import { JurisdictionTreeCache, TREE_MAX_AGE_MS } from './jurisdiction-tree.cache';

const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };

function fakes() {
  let rows = [{ id: 'a', code: 'A', name: 'A', tier: 'station', parentId: null, boundary: square }];
  let handler: ((topic: string, payload: unknown) => void) | undefined;
  let queries = 0;
  const ds = { query: async () => (queries++, rows) } as unknown as DataSource;
  const bus = { subscribe: async (_: string, h: typeof handler) => ((handler = h), async () => undefined) } as unknown as MqttBus;
  return { ds: new JurisdictionsRepository(ds), bus, setRows: (r: typeof rows) => (rows = r), fire: () => handler!('t', {}), queries: () => queries };
}

describe('JurisdictionTreeCache', () => {
  it('loads once, and again after a change notice from the bus', async () => {
    const f = fakes();
    const cache = new JurisdictionTreeCache(f.ds, f.bus);
    await cache.onModuleInit();
    expect((await cache.tree()).size).toBe(1);
    await cache.tree();
    expect(f.queries()).toBe(1);
    f.setRows([...[{ id: 'a', code: 'A', name: 'A', tier: 'station', parentId: null, boundary: square }], { id: 'b', code: 'B', name: 'B', tier: 'post', parentId: 'a' as never, boundary: square }]);
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
    const nodeB = { id: 'b', code: 'B', name: 'B', tier: 'post', parentId: 'a' as never, boundary: square, xmin: '101' };
    /** A transaction's manager over `rows`; records its statements. */
    function manager(rows: object[]) {
      const statements: string[] = [];
      const m = { query: async (sql: string) => (statements.push(sql.split(' ').slice(0, 4).join(' ')), sql.startsWith('LOCK') ? [] : rows) } as unknown as EntityManager;
      // The opaque Tx of a transaction on `m`, as the Transactor makes it.
      let tx!: Tx;
      void new Transactor({ transaction: async (work: (m: EntityManager) => Promise<unknown>) => work(m) } as unknown as DataSource).run(async (t) => {
        tx = t;
      });
      return { m: tx, statements };
    }

    it('takes the tree lock first and answers the cached tree itself while the stored version is the same', async () => {
      const f = fakes();
      f.setRows([nodeA] as never);
      const cache = new JurisdictionTreeCache(f.ds, f.bus);
      const cached = await cache.tree();
      const tx = manager([nodeA]);
      expect(await cache.treeIn(tx.m)).toBe(cached);
      expect(tx.statements[0]).toBe('LOCK TABLE jurisdictions IN');
      expect(tx.statements).toHaveLength(2); // the lock and the version: no boundaries read
    });

    it('loads the tree on the transaction (never on the pool) when it changed, and shares it with later callers', async () => {
      const f = fakes();
      f.setRows([nodeA] as never);
      const cache = new JurisdictionTreeCache(f.ds, f.bus);
      const stale = await cache.tree();
      const tx = manager([nodeA, nodeB]);
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
      const first = await cache.treeIn(manager([nodeA]).m);
      expect(f.queries()).toBe(0);
      expect(await cache.treeIn(manager([nodeA]).m)).toBe(first);
      expect(await cache.treeIn(manager([{ ...nodeA, xmin: '200' }]).m)).not.toBe(first);
    });
  });
});
