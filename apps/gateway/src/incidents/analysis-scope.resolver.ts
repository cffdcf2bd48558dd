import { Injectable } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { ScopeService } from '@tiergate/access';
import type { Geometry, JurisdictionNode, JurisdictionTree } from '@tiergate/domain';

/**
 * The part of the tree an incident query or a hotspot analysis covers:
 * - `jurisdictionId` given: that node (404 unless it is in the caller's scope) and its subtree;
 * - otherwise the caller's home node and its subtree;
 * - the built-in admin (no home node): everything, the study area being the union of the top-level nodes.
 */
export interface AnalysisScope {
  /** The chosen node; undefined for "everything". */
  node?: JurisdictionNode;
  /** Jurisdictions whose incidents count; undefined means all (the built-in admin). */
  jurisdictionIds?: readonly string[];
  /** The study area of the hotspot analysis (boundaries; nodes without one are left out). */
  studyArea: Geometry[];
  tree: JurisdictionTree;
}

@Injectable()
export class AnalysisScopeResolver {
  constructor(private readonly scopes: ScopeService) {}

  async resolve(principal: Principal, jurisdictionId?: string): Promise<AnalysisScope> {
    const tree = await this.scopes.tree();
    if (jurisdictionId !== undefined) {
      await this.scopes.assertJurisdictionVisible(principal, jurisdictionId);
      return this.ofNode(tree, jurisdictionId);
    }
    if (principal.jurisdictionId !== null) {
      await this.scopes.scopeOf(principal); // a home node that no longer exists answers 403
      return this.ofNode(tree, principal.jurisdictionId);
    }
    const scope = await this.scopes.scopeOf(principal);
    if (!scope.all) return { jurisdictionIds: [], studyArea: [], tree };
    return { studyArea: tree.roots().flatMap((r) => (r.boundary ? [r.boundary] : [])), tree };
  }

  private ofNode(tree: JurisdictionTree, id: string): AnalysisScope {
    const node = tree.get(id)!;
    return { node, jurisdictionIds: [...tree.subtreeIds(id)], studyArea: node.boundary ? [node.boundary] : [], tree };
  }
}
