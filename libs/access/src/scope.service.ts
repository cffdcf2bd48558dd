import { Injectable } from '@nestjs/common';
import { CameraRepository, Tx } from '@tiergate/persistence';
import { isUuid, JurisdictionTree, notFound, TiergateError } from '@tiergate/domain';
/** @deprecated import it from @tiergate/domain */
export { isUuid };
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import type { HeldGrant } from './access-snapshot';
import { AccessSnapshots } from './access-snapshots';
import type { Principal } from './principal';
import { Scope, scopeAllowsCamera, scopeAllowsJurisdiction } from './scope';

/** How a caller sees a camera: through its home scope, or through a grant (named in its stream tokens). */
export type CameraAccess = { via: 'scope' } | { via: 'grant'; grantId: string };

/**
 * Answers "what may this caller see", set-based and deny by default:
 * - no home node: the whole tree for an admin (the built-in admin), nothing for anyone else;
 * - a home node: its subtree, from the cached tree (no recursive query per request);
 * - plus the grants in force (from the access snapshot in memory, AccessSnapshots: no query per request)
 *   to the user, or to its home node or one of the node's ancestors (a grant to a station's users
 *   reaches the users of its posts too): a granted camera joins `cameraIds`, a granted node adds its
 *   subtree to `jurisdictionIds`. A revoked grant leaves every process's snapshot within the bus latency;
 *   an expired one stops counting at its expiry (each check compares with the clock).
 */
@Injectable()
export class ScopeService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly treeCache: JurisdictionTreeCache,
    private readonly snapshots: AccessSnapshots,
  ) {}

  async scopeOf(principal: Principal, now = Date.now()): Promise<Scope> {
    if (principal.jurisdictionId === null) return { all: principal.role === 'admin', jurisdictionIds: new Set(), cameraIds: new Set() };
    const tree = await this.treeCache.tree();
    const home = this.homeOf(tree, principal);
    const own = tree.subtreeIds(home);
    const grants = await this.grantsOf(tree, principal, home, now);
    if (grants.length === 0) return { all: false, jurisdictionIds: own, cameraIds: new Set() };
    const jurisdictionIds = new Set(own);
    const cameraIds = new Set<string>();
    for (const g of grants) {
      if (g.cameraId) cameraIds.add(g.cameraId);
      if (g.jurisdictionId) for (const id of tree.subtreeIds(g.jurisdictionId)) jurisdictionIds.add(id);
    }
    return { all: false, jurisdictionIds, cameraIds };
  }

  /**
   * How the caller sees this camera, or undefined when it may not: its home scope first; else the grant
   * in force that shows it and lasts longest.
   */
  async cameraAccess(principal: Principal, camera: { id: string; jurisdictionId: string | null }, now = Date.now()): Promise<CameraAccess | undefined> {
    if (principal.jurisdictionId === null) return principal.role === 'admin' ? { via: 'scope' } : undefined;
    const tree = await this.treeCache.tree();
    const home = this.homeOf(tree, principal);
    if (camera.jurisdictionId !== null && tree.isInSubtree(home, camera.jurisdictionId)) return { via: 'scope' };
    let best: HeldGrant | undefined;
    for (const g of await this.grantsOf(tree, principal, home, now)) {
      const shows = g.cameraId === camera.id || (g.jurisdictionId !== null && camera.jurisdictionId !== null && tree.isInSubtree(g.jurisdictionId, camera.jurisdictionId));
      if (shows && (!best || g.expiresAt > best.expiresAt)) best = g;
    }
    return best ? { via: 'grant', grantId: best.id } : undefined;
  }

  private homeOf(tree: JurisdictionTree, principal: Principal): string {
    const home = principal.jurisdictionId!;
    if (!tree.has(home)) {
      throw new TiergateError('FORBIDDEN', 'your home jurisdiction no longer exists; ask an administrator to move your account to another jurisdiction');
    }
    return home;
  }

  private async grantsOf(tree: JurisdictionTree, principal: Principal, home: string, now: number): Promise<HeldGrant[]> {
    const held = await this.snapshots.held(now);
    if (held.size === 0) return [];
    return held.inForceFor(principal.userId, [home, ...tree.ancestors(home).map((n) => n.id)], now);
  }

  /** The cached tree, for callers that map scope ids to nodes. */
  tree(): Promise<JurisdictionTree> {
    return this.treeCache.tree();
  }

  /** The tree as the caller's transaction sees it, under the tree lock (see `JurisdictionTreeCache.treeIn`). */
  treeIn(tx: Tx): Promise<JurisdictionTree> {
    return this.treeCache.treeIn(tx);
  }

  /** The subset of `ids` that exist and the caller may see (one query). */
  async visibleCameraIds(principal: Principal, ids: readonly string[]): Promise<Set<string>> {
    const wanted = [...new Set(ids.filter(isUuid))];
    if (wanted.length === 0) return new Set();
    const scope = await this.scopeOf(principal);
    const rows = await this.cameras.placementsOf(wanted);
    return new Set(rows.filter((r) => scopeAllowsCamera(scope, r)).map((r) => r.id));
  }

  /** Throws NOT_FOUND (exactly as for a missing camera) unless the caller may see it. */
  async assertCameraVisible(principal: Principal, cameraId: string): Promise<void> {
    if (!(await this.visibleCameraIds(principal, [cameraId])).has(cameraId)) throw notFound('camera');
  }

  /** Throws NOT_FOUND (exactly as for a missing node) unless the node exists and is in the caller's scope. */
  async assertJurisdictionVisible(principal: Principal, jurisdictionId: string): Promise<void> {
    const scope = await this.scopeOf(principal);
    const tree = await this.treeCache.tree();
    if (!isUuid(jurisdictionId) || !tree.has(jurisdictionId) || !scopeAllowsJurisdiction(scope, jurisdictionId)) throw notFound('jurisdiction');
  }

  /**
   * The nodes the caller administers: its home subtree without grants (grants share viewing, never
   * administration); `undefined` means everything (the built-in admin).
   */
  async administeredJurisdictionIds(principal: Principal): Promise<ReadonlySet<string> | undefined> {
    if (principal.jurisdictionId === null) return principal.role === 'admin' ? undefined : new Set();
    return administeredIn(await this.treeCache.tree(), principal);
  }
}

/** Pure: `ScopeService.administeredJurisdictionIds` against a given tree (e.g. the one of a transaction). */
export function administeredIn(tree: JurisdictionTree, principal: Principal): ReadonlySet<string> | undefined {
  if (principal.jurisdictionId === null) return principal.role === 'admin' ? undefined : new Set();
  if (!tree.has(principal.jurisdictionId)) {
    throw new TiergateError('FORBIDDEN', 'your home jurisdiction no longer exists; ask an administrator to move your account to another jurisdiction');
  }
  return tree.subtreeIds(principal.jurisdictionId);
}

