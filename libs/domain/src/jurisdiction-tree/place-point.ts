import type { JurisdictionNode } from './jurisdiction-node.types';
import type { JurisdictionTree } from './jurisdiction.tree';

/**
 * Where a point belongs, and whether the caller may put it there:
 * - `placed`: the owner, which the caller administers;
 * - `outside-administered`: the point has an owner, but not one the caller administers;
 * - `outside-every`: no boundary contains the point.
 */
export type PointPlacement = { kind: 'placed'; jurisdictionId: string } | { kind: 'outside-administered'; ownerId: string } | { kind: 'outside-every' };

/**
 * THE rule that places a point (a camera's location, an incident, a row moved after a tree change):
 * its owner is the deepest node whose boundary contains it, borders included, the smallest code among
 * nodes of equal depth (`JurisdictionTree.locate`) — one answer for the whole district, whoever asks.
 * A caller who does not administer that owner (`administered`: the ids it administers, undefined for
 * the built-in admin) cannot place the point, even where its own boundary touches it: a point on the
 * border of two stations belongs to one of them, the same one for a camera, an incident and a
 * reassignment (docs/jurisdiction-placement.md).
 */
export function placePoint(tree: JurisdictionTree, lon: number, lat: number, administered?: ReadonlySet<string>): PointPlacement {
  const owner: JurisdictionNode | undefined = tree.locate(lon, lat);
  if (!owner) return { kind: 'outside-every' };
  if (administered !== undefined && !administered.has(owner.id)) return { kind: 'outside-administered', ownerId: owner.id };
  return { kind: 'placed', jurisdictionId: owner.id };
}
