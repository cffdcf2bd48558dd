import { Injectable } from '@nestjs/common';
import { JurisdictionLocator, Principal, ScopeService } from '@tiergate/access';
import { TiergateError } from '@tiergate/domain';

export interface PlacementInput {
  jurisdictionId?: string | null;
  location?: { lat: number; lon: number } | null;
}

export type Placement = { jurisdictionId: string | null; pinned: boolean };

/**
 * Decides a camera's jurisdiction: an explicit id pins it (it must be one the caller administers);
 * otherwise its location is located in the tree (deepest boundary containing it); with neither, a
 * scoped caller's cameras go to its home node and the built-in admin's stay unassigned.
 */
@Injectable()
export class CameraPlacement {
  constructor(
    private readonly scopes: ScopeService,
    private readonly locator: JurisdictionLocator,
  ) {}

  async place(principal: Principal, input: PlacementInput): Promise<Placement> {
    const [placement] = await this.placeMany(principal, [input]);
    if ('error' in placement) throw new TiergateError('VALIDATION_FAILED', placement.error, { fields: [placement.field] });
    return placement;
  }

  /** One tree snapshot for many rows (imports); per row a placement or a message. */
  async placeMany(principal: Principal, inputs: readonly PlacementInput[]): Promise<(Placement | { error: string; field: string })[]> {
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    const tree = await this.scopes.tree();
    const allowed = (id: string): boolean => tree.has(id) && (administered === undefined || administered.has(id));
    const toLocate = inputs.map((i, n) => ({ i, n })).filter(({ i }) => !i.jurisdictionId && i.location);
    const located = await this.locator.locateMany(toLocate.map(({ i }) => ({ lon: i.location!.lon, lat: i.location!.lat })));
    const byIndex = new Map(toLocate.map(({ n }, k) => [n, located[k]]));
    return inputs.map((input, n) => {
      if (input.jurisdictionId) {
        return allowed(input.jurisdictionId)
          ? { jurisdictionId: input.jurisdictionId, pinned: true }
          : { error: 'jurisdictionId: no such jurisdiction among those you administer', field: 'jurisdictionId' };
      }
      if (input.location) {
        const id = byIndex.get(n);
        if (id && allowed(id)) return { jurisdictionId: id, pinned: false };
        if (administered === undefined) return { jurisdictionId: id ?? null, pinned: false };
        return { error: 'location: lies outside the jurisdictions you administer', field: 'location' };
      }
      return { jurisdictionId: principal.jurisdictionId, pinned: false };
    });
  }
}
