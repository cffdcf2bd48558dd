import type { DataSource } from 'typeorm';
import type { MqttBus } from '@tiergate/messaging';
import { JurisdictionTreeCache, TREE_MAX_AGE_MS } from './jurisdiction-tree.cache';

const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };

function fakes() {
  let rows = [{ id: 'a', code: 'A', name: 'A', tier: 'station', parentId: null, boundary: square }];
  let handler: ((topic: string, payload: unknown) => void) | undefined;
  let queries = 0;
  const ds = { query: async () => (queries++, rows) } as unknown as DataSource;
  const bus = { subscribe: async (_: string, h: typeof handler) => ((handler = h), async () => undefined) } as unknown as MqttBus;
  return { ds, bus, setRows: (r: typeof rows) => (rows = r), fire: () => handler!('t', {}), queries: () => queries };
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
});
