import { Injectable } from '@nestjs/common';
import { JurisdictionTreeCache } from './jurisdiction-tree.cache';

/**
 * Assigns a point to a jurisdiction: the deepest node whose boundary contains it (borders count),
 * the smallest code among equals. Reads the cached tree, so it is cheap enough to call per row.
 */
@Injectable()
export class JurisdictionLocator {
  constructor(private readonly cache: JurisdictionTreeCache) {}

  /** Id of the jurisdiction containing (lon, lat), or undefined outside every boundary. */
  async locate(lon: number, lat: number, withinRootId?: string): Promise<string | undefined> {
    return (await this.cache.tree()).locate(lon, lat, withinRootId)?.id;
  }

  /** Locates many points against one tree snapshot (imports). Undefined where no boundary contains a point. */
  async locateMany(points: readonly { lon: number; lat: number }[]): Promise<(string | undefined)[]> {
    const tree = await this.cache.tree();
    return points.map((p) => tree.locate(p.lon, p.lat)?.id);
  }
}
