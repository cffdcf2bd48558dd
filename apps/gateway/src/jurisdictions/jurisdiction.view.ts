import type { JurisdictionNode, JurisdictionTree } from '@tiergate/domain';

export interface JurisdictionView {
  id: string;
  code: string;
  name: string;
  tier: string;
  parentId: string | null;
  boundary?: unknown;
}

export const toJurisdictionView = (n: JurisdictionNode, withBoundary: boolean): JurisdictionView => ({
  id: n.id,
  code: n.code,
  name: n.name,
  tier: n.tier,
  parentId: n.parentId,
  ...(withBoundary ? { boundary: n.boundary } : {}),
});

export interface NodeStats {
  id: string;
  code: string;
  name: string;
  tier: string;
  parentId: string | null;
  /** Cameras assigned to the node itself. */
  cameras: number;
  /** Cameras assigned to the node or any node below it. */
  camerasInSubtree: number;
  users: number;
}

export interface TierStats {
  tier: string;
  nodes: number;
  /** Cameras assigned directly to nodes of this tier. */
  cameras: number;
}

export interface JurisdictionStats {
  nodes: NodeStats[];
  tiers: TierStats[];
}

/**
 * Pure: per-node and per-tier counts for the visible nodes. `camerasInSubtree` sums the whole stored
 * subtree below a visible node; since a visible node's descendants are all visible (scopes are
 * subtrees), nothing outside the caller's scope is counted.
 */
export function statsOf(
  tree: JurisdictionTree,
  visible: (id: string) => boolean,
  camerasByNode: ReadonlyMap<string, number>,
  usersByNode: ReadonlyMap<string, number>,
): JurisdictionStats {
  const subtotal = new Map<string, number>();
  const all = tree.all();
  for (let i = all.length - 1; i >= 0; i--) {
    const n = all[i];
    const total = (subtotal.get(n.id) ?? 0) + (camerasByNode.get(n.id) ?? 0);
    subtotal.set(n.id, total);
    if (n.parentId !== null) subtotal.set(n.parentId, (subtotal.get(n.parentId) ?? 0) + total);
  }
  const nodes: NodeStats[] = [];
  const tiers = new Map<string, TierStats>();
  for (const n of all) {
    if (!visible(n.id)) continue;
    const cameras = camerasByNode.get(n.id) ?? 0;
    nodes.push({ id: n.id, code: n.code, name: n.name, tier: n.tier, parentId: n.parentId, cameras, camerasInSubtree: subtotal.get(n.id) ?? 0, users: usersByNode.get(n.id) ?? 0 });
    const t = tiers.get(n.tier) ?? { tier: n.tier, nodes: 0, cameras: 0 };
    t.nodes++;
    t.cameras += cameras;
    tiers.set(n.tier, t);
  }
  return { nodes, tiers: [...tiers.values()] };
}
