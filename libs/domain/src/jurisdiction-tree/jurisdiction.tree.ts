import { TiergateError } from '../errors';
import type { BBox } from '../geo';
import { BORDER_TOLERANCE_DEG, bbox, bboxContains, containsPoint } from '../geo';
import type { JurisdictionNode } from './jurisdiction-node.types';
import { compareCodes } from './jurisdiction-node.types';

/** Pads a box by the border tolerance so the pre-filter never drops a point `containsPoint` accepts. */
const padded = (b: BBox): BBox => ({
  minLon: b.minLon - BORDER_TOLERANCE_DEG,
  minLat: b.minLat - BORDER_TOLERANCE_DEG,
  maxLon: b.maxLon + BORDER_TOLERANCE_DEG,
  maxLat: b.maxLat + BORDER_TOLERANCE_DEG,
});

interface Located<N> {
  node: N;
  box: BBox;
  depth: number;
}

/**
 * An immutable, indexed view of the jurisdiction hierarchy built from flat rows. Depth, ancestry and
 * subtree membership are answered from a pre-order numbering (O(1) `isInSubtree`); subtree sets are
 * built once per root and cached. `locate` finds the deepest boundary containing a point.
 */
export class JurisdictionTree<N extends JurisdictionNode = JurisdictionNode> {
  private readonly byId = new Map<string, N>();
  private readonly byCodeMap = new Map<string, N>();
  private readonly childrenOf = new Map<string, N[]>();
  private readonly rootNodes: N[] = [];
  private readonly depthOf = new Map<string, number>();
  /** Pre-order position of each node and the end (exclusive) of its subtree in `preorder`. */
  private readonly enter = new Map<string, number>();
  private readonly exit = new Map<string, number>();
  private readonly preorder: N[] = [];
  private readonly subtreeCache = new Map<string, ReadonlySet<string>>();
  private readonly locatable: Located<N>[];

  constructor(nodes: readonly N[]) {
    for (const node of nodes) {
      if (this.byId.has(node.id)) throw new TiergateError('VALIDATION_FAILED', `duplicate jurisdiction id ${node.id}`);
      if (this.byCodeMap.has(node.code)) throw new TiergateError('VALIDATION_FAILED', `duplicate jurisdiction code ${node.code}`);
      this.byId.set(node.id, node);
      this.byCodeMap.set(node.code, node);
    }
    for (const node of nodes) {
      if (node.parentId === null || node.parentId === undefined) {
        this.rootNodes.push(node);
      } else if (!this.byId.has(node.parentId)) {
        throw new TiergateError('UNKNOWN_PARENT', `jurisdiction ${node.code} has unknown parent id ${node.parentId}`);
      } else {
        const siblings = this.childrenOf.get(node.parentId) ?? [];
        siblings.push(node);
        this.childrenOf.set(node.parentId, siblings);
      }
    }
    const byCode = (a: N, b: N): number => compareCodes(a.code, b.code);
    this.rootNodes.sort(byCode);
    for (const list of this.childrenOf.values()) list.sort(byCode);
    this.number();
    if (this.preorder.length !== this.byId.size) this.throwCycle();
    this.locatable = this.preorder
      .filter((n) => n.boundary)
      .map((node) => ({ node, box: padded(bbox(node.boundary!)), depth: this.depthOf.get(node.id)! }))
      .sort((a, b) => b.depth - a.depth || compareCodes(a.node.code, b.node.code));
  }

  /** Iterative DFS from the roots, assigning depth and pre-order intervals. */
  private number(): void {
    const stack: Array<{ node: N; depth: number; done: boolean }> = [];
    for (let r = this.rootNodes.length - 1; r >= 0; r--) stack.push({ node: this.rootNodes[r], depth: 0, done: false });
    while (stack.length > 0) {
      const frame = stack.pop()!;
      if (frame.done) {
        this.exit.set(frame.node.id, this.preorder.length);
        continue;
      }
      this.enter.set(frame.node.id, this.preorder.length);
      this.depthOf.set(frame.node.id, frame.depth);
      this.preorder.push(frame.node);
      stack.push({ ...frame, done: true });
      const kids = this.childrenOf.get(frame.node.id) ?? [];
      for (let k = kids.length - 1; k >= 0; k--) stack.push({ node: kids[k], depth: frame.depth + 1, done: false });
    }
  }

  private throwCycle(): never {
    const start = [...this.byId.values()].find((n) => !this.enter.has(n.id))!;
    const seen: string[] = [];
    let current: N = start;
    while (!seen.includes(current.code)) {
      seen.push(current.code);
      current = this.byId.get(current.parentId!)!;
    }
    const cycle = [...seen.slice(seen.indexOf(current.code)), current.code];
    throw new TiergateError('TREE_CYCLE', `jurisdiction parents form a cycle: ${cycle.join(' -> ')}`, { cycle });
  }

  private require(id: string): N {
    const node = this.byId.get(id);
    if (!node) throw new TiergateError('NOT_FOUND', `jurisdiction ${id} not found`);
    return node;
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): N | undefined {
    return this.byId.get(id);
  }

  byCode(code: string): N | undefined {
    return this.byCodeMap.get(code);
  }

  /** Every node, parents before children (pre-order; siblings by code). */
  all(): readonly N[] {
    return this.preorder;
  }

  roots(): readonly N[] {
    return this.rootNodes;
  }

  /** Direct children sorted by code; throws NOT_FOUND for an unknown id. */
  children(id: string): readonly N[] {
    this.require(id);
    return this.childrenOf.get(id) ?? [];
  }

  parent(id: string): N | undefined {
    const parentId = this.require(id).parentId;
    return parentId === null ? undefined : this.byId.get(parentId);
  }

  /** 0 for a root; throws NOT_FOUND for an unknown id. */
  depth(id: string): number {
    this.require(id);
    return this.depthOf.get(id)!;
  }

  /** Ancestors of `id`, nearest first (parent … root), without the node itself. */
  ancestors(id: string): readonly N[] {
    const out: N[] = [];
    let parentId = this.require(id).parentId;
    while (parentId !== null) {
      const parent = this.byId.get(parentId)!;
      out.push(parent);
      parentId = parent.parentId;
    }
    return out;
  }

  /**
   * Ids of `id` and all its descendants, cached. An unknown id yields an empty set, so access checks
   * built on it deny by default.
   */
  subtreeIds(id: string): ReadonlySet<string> {
    const cached = this.subtreeCache.get(id);
    if (cached) return cached;
    const from = this.enter.get(id);
    const ids = from === undefined ? new Set<string>() : new Set(this.preorder.slice(from, this.exit.get(id)).map((n) => n.id));
    this.subtreeCache.set(id, ids);
    return ids;
  }

  /** True when `id` is `rootId` or one of its descendants; false when either is unknown. O(1). */
  isInSubtree(rootId: string, id: string): boolean {
    const from = this.enter.get(rootId);
    const at = this.enter.get(id);
    return from !== undefined && at !== undefined && at >= from && at < this.exit.get(rootId)!;
  }

  /**
   * The deepest node whose boundary contains the point (borders included); among several of the same
   * depth, the smallest code. Undefined when no boundary contains it. With `withinRootId`, only that
   * node and its descendants are candidates (placing a camera inside the caller's scope).
   */
  locate(lon: number, lat: number, withinRootId?: string): N | undefined {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
    for (const entry of this.locatable) {
      if (withinRootId !== undefined && !this.isInSubtree(withinRootId, entry.node.id)) continue;
      if (bboxContains(entry.box, lon, lat) && containsPoint(entry.node.boundary!, lon, lat)) return entry.node;
    }
    return undefined;
  }
}
