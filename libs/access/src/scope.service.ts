import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Tx } from '@tiergate/persistence';
import { isUuid, JurisdictionTree, notFound, TiergateError } from '@tiergate/domain';
/** @deprecated import it from @tiergate/domain */
export { isUuid };
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import type { Principal } from './principal';
import { Scope, scopeAllowsCamera, scopeAllowsJurisdiction } from './scope';

interface GrantRow {
  cameraId: string | null;
  jurisdictionId: string | null;
}

/**
 * Answers "what may this caller see", set-based and deny by default:
 * - no home node: the whole tree for an admin (the built-in admin), nothing for anyone else;
 * - a home node: its subtree, from the cached tree (no recursive query per request);
 * - plus active grants (not revoked, started, not expired) to the user, or to its home node or one of
 *   the node's ancestors (a grant to a station's users reaches the users of its posts too): a granted
 *   camera joins `cameraIds`, a granted node adds its subtree to `jurisdictionIds`.
 * Grants are read on every call (one indexed query), so revocation and expiry take effect at once.
 */
@Injectable()
export class ScopeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly treeCache: JurisdictionTreeCache,
  ) {}

  async scopeOf(principal: Principal): Promise<Scope> {
    if (principal.jurisdictionId === null) return { all: principal.role === 'admin', jurisdictionIds: new Set(), cameraIds: new Set() };
    const tree = await this.treeCache.tree();
    const home = principal.jurisdictionId;
    if (!tree.has(home)) {
      throw new TiergateError('FORBIDDEN', 'your home jurisdiction no longer exists; ask an administrator to move your account to another jurisdiction');
    }
    const jurisdictionIds = new Set(tree.subtreeIds(home));
    const cameraIds = new Set<string>();
    const granteeNodes = [home, ...tree.ancestors(home).map((n) => n.id)];
    const grants: GrantRow[] = await this.dataSource.query(
      `SELECT "cameraId", "jurisdictionId" FROM access_grants
        WHERE "revokedAt" IS NULL AND "startsAt" <= now() AND "expiresAt" > now()
          AND ("granteeUserId" = $1 OR "granteeJurisdictionId" = ANY($2::uuid[]))`,
      [principal.userId, granteeNodes],
    );
    for (const g of grants) {
      if (g.cameraId) cameraIds.add(g.cameraId);
      if (g.jurisdictionId) for (const id of tree.subtreeIds(g.jurisdictionId)) jurisdictionIds.add(id);
    }
    return { all: false, jurisdictionIds, cameraIds };
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
    const rows: { id: string; jurisdictionId: string | null }[] = await this.dataSource.query(
      `SELECT id, "jurisdictionId" FROM cameras WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
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

