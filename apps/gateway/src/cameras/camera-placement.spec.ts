import type { Tx } from '@tiergate/persistence';
import type { Principal } from '@tiergate/access';
import type { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import { JurisdictionTree, Polygon } from '@tiergate/domain';
import { CameraPlacement, placeCameras } from './camera-placement';

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const node = (id: string, code: string, parentId: string | null, boundary: Polygon) => ({ id, code, name: id, tier: 't', parentId, boundary });
const treeOf = (eastStationEndsAt: number) =>
  new JurisdictionTree([
    node('root', '00', null, box(0, 0, 10, 10)),
    node('west', '01', 'root', box(0, 0, eastStationEndsAt, 10)),
    node('east', '02', 'root', box(eastStationEndsAt, 0, 10, 10)),
  ]);
const admin: Principal = { userId: 'u', username: 'admin', role: 'admin', jurisdictionId: null };
const westOperator: Principal = { userId: 'w', username: 'w', role: 'operator', jurisdictionId: 'west' };

describe('placeCameras', () => {
  const tree = treeOf(5);

  it('locates a point in the deepest node, pins an explicit id, and sends a camera with neither to the caller home', () => {
    expect(placeCameras(tree, admin, [{ location: { lon: 7, lat: 1 } }, { jurisdictionId: 'west', location: { lon: 7, lat: 1 } }, {}])).toEqual([
      { jurisdictionId: 'east', pinned: false },
      { jurisdictionId: 'west', pinned: true },
      { jurisdictionId: null, pinned: false },
    ]);
    expect(placeCameras(tree, westOperator, [{}])).toEqual([{ jurisdictionId: 'west', pinned: false }]);
  });

  it('refuses what a scoped caller does not administer, and leaves a point outside every boundary unassigned for the built-in admin', () => {
    expect(placeCameras(tree, westOperator, [{ location: { lon: 7, lat: 1 } }, { jurisdictionId: 'east' }])).toEqual([
      { error: 'location: lies outside the jurisdictions you administer', field: 'location' },
      { error: 'jurisdictionId: no such jurisdiction among those you administer', field: 'jurisdictionId' },
    ]);
    expect(placeCameras(tree, admin, [{ location: { lon: 50, lat: 50 } }, { jurisdictionId: 'gone' }])).toEqual([
      { jurisdictionId: null, pinned: false },
      { error: 'jurisdictionId: no such jurisdiction among those you administer', field: 'jurisdictionId' },
    ]);
  });
});

describe('CameraPlacement inside a transaction', () => {
  const manager = {} as Tx;
  const cacheWith = (cached: JurisdictionTree, inTransaction: JurisdictionTree) =>
    ({ tree: async () => cached, treeIn: async (m: Tx) => (expect(m).toBe(manager), inTransaction) }) as unknown as JurisdictionTreeCache;
  const inputs = [{ location: { lon: 6, lat: 1 } }];

  it('keeps the early placements while the tree is the one they were made with', async () => {
    const tree = treeOf(5);
    const placement = new CameraPlacement(cacheWith(tree, tree));
    const early = await placement.placeMany(admin, inputs);
    expect(await placement.placeManyIn(manager, admin, inputs, early)).toBe(early.outcomes);
  });

  it('places again by the tree of the transaction when the tree changed since', async () => {
    const placement = new CameraPlacement(cacheWith(treeOf(5), treeOf(8)));
    const early = await placement.placeMany(admin, inputs);
    expect(early.outcomes).toEqual([{ jurisdictionId: 'east', pinned: false }]);
    expect(await placement.placeManyIn(manager, admin, inputs, early)).toEqual([{ jurisdictionId: 'west', pinned: false }]);
    expect(await placement.placeIn(manager, admin, inputs[0])).toEqual({ jurisdictionId: 'west', pinned: false });
    await expect(placement.placeIn(manager, westOperator, { jurisdictionId: 'east' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
