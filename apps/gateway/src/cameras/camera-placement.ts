import { Injectable } from '@nestjs/common';
import { administeredIn, Principal } from '@tiergate/access';
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import type { Tx } from '@tiergate/persistence';
import { JurisdictionTree, placePoint, TiergateError } from '@tiergate/domain';

export interface PlacementInput {
  jurisdictionId?: string | null;
  location?: { lat: number; lon: number } | null;
}

export type Placement = { jurisdictionId: string | null; pinned: boolean };
export type PlacementOutcome = Placement | { error: string; field: string };

/** Placements of many rows and the tree they were made with (`placeManyIn` reuses them while it is current). */
export interface PlacedBatch {
  tree: JurisdictionTree;
  outcomes: PlacementOutcome[];
}

/**
 * Pure: a camera's jurisdiction by the given tree. An explicit id pins it (it must be one the caller
 * administers); otherwise its location is placed by `placePoint` (the one rule for every point); with
 * neither, a scoped caller's cameras go to its home node and the built-in admin's stay unassigned.
 */
export function placeCameras(tree: JurisdictionTree, principal: Principal, inputs: readonly PlacementInput[]): PlacementOutcome[] {
  const administered = administeredIn(tree, principal);
  const allowed = (id: string): boolean => tree.has(id) && (administered === undefined || administered.has(id));
  return inputs.map((input): PlacementOutcome => {
    if (input.jurisdictionId) {
      return allowed(input.jurisdictionId)
        ? { jurisdictionId: input.jurisdictionId, pinned: true }
        : { error: 'jurisdictionId: no such jurisdiction among those you administer', field: 'jurisdictionId' };
    }
    if (input.location) {
      const placed = placePoint(tree, input.location.lon, input.location.lat, administered);
      if (placed.kind === 'placed') return { jurisdictionId: placed.jurisdictionId, pinned: false };
      if (administered === undefined) return { jurisdictionId: null, pinned: false }; // the built-in admin's camera outside every boundary
      return { error: 'location: lies outside the jurisdictions you administer', field: 'location' };
    }
    return { jurisdictionId: principal.jurisdictionId, pinned: false };
  });
}

/**
 * Places cameras by the jurisdiction tree (rules in `placeCameras`). Two moments:
 * - before a write, against the cached tree, to answer bad input early (`place`, `placeMany`);
 * - inside the write's transaction, under the tree lock, against the tree that transaction sees
 *   (`placeIn`, `placeManyIn`): what is stored. A tree import running meanwhile either commits first
 *   (then this placement reads its tree) or waits for this transaction (then it reassigns these rows).
 */
@Injectable()
export class CameraPlacement {
  constructor(private readonly trees: JurisdictionTreeCache) {}

  async place(principal: Principal, input: PlacementInput): Promise<Placement> {
    return orThrow((await this.placeMany(principal, [input])).outcomes[0]);
  }

  /** Inside a transaction, under the tree lock: the placement to store. */
  async placeIn(tx: Tx, principal: Principal, input: PlacementInput): Promise<Placement> {
    return orThrow((await this.placeManyIn(tx, principal, [input]))[0]);
  }

  /** One cached tree snapshot for many rows (imports); per row a placement or a message. */
  async placeMany(principal: Principal, inputs: readonly PlacementInput[]): Promise<PlacedBatch> {
    const tree = await this.trees.tree();
    return { tree, outcomes: placeCameras(tree, principal, inputs) };
  }

  /**
   * Inside a transaction, under the tree lock: per row the placement to store. `earlier` (the same
   * inputs placed before the transaction) is kept as is when the tree has not changed since.
   */
  async placeManyIn(tx: Tx, principal: Principal, inputs: readonly PlacementInput[], earlier?: PlacedBatch): Promise<PlacementOutcome[]> {
    const tree = await this.trees.treeIn(tx);
    return earlier && earlier.tree === tree && earlier.outcomes.length === inputs.length ? earlier.outcomes : placeCameras(tree, principal, inputs);
  }
}

function orThrow(outcome: PlacementOutcome): Placement {
  if ('error' in outcome) throw new TiergateError('VALIDATION_FAILED', outcome.error, { fields: [outcome.field] });
  return outcome;
}
