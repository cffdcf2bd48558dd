import { EntityManager } from 'typeorm';
import type { JurisdictionTree } from '@tiergate/domain';

const CHUNK = 5000;

interface PlacedRow {
  id: string;
  lon: number;
  lat: number;
  jurisdictionId: string | null;
}

/**
 * Moves located rows (unpinned cameras, incidents) to the node the tree now assigns them, inside the
 * caller's transaction. A point that no boundary contains keeps its node (it was placed by hand or
 * the tree no longer covers it; geometry has nothing better to say). Returns how many rows moved.
 */
export async function reassignPoints(manager: EntityManager, tree: JurisdictionTree): Promise<{ cameras: number; incidents: number }> {
  const cameras: PlacedRow[] = await manager.query(
    `SELECT id, lon, lat, "jurisdictionId" FROM cameras WHERE NOT "jurisdictionPinned" AND lon IS NOT NULL AND lat IS NOT NULL`,
  );
  const incidents: PlacedRow[] = await manager.query(`SELECT id, lon, lat, "jurisdictionId" FROM incidents`);
  return {
    cameras: await move(manager, 'cameras', 'uuid', movesOf(cameras, tree)),
    incidents: await move(manager, 'incidents', 'varchar', movesOf(incidents, tree)),
  };
}

/** Pure: the rows whose node changes, as [id, newJurisdictionId]. */
export function movesOf(rows: readonly PlacedRow[], tree: JurisdictionTree): Array<[string, string]> {
  const moves: Array<[string, string]> = [];
  for (const r of rows) {
    const target = tree.locate(r.lon, r.lat)?.id;
    if (target && target !== r.jurisdictionId) moves.push([r.id, target]);
  }
  return moves;
}

async function move(manager: EntityManager, table: 'cameras' | 'incidents', idType: 'uuid' | 'varchar', moves: Array<[string, string]>): Promise<number> {
  for (let i = 0; i < moves.length; i += CHUNK) {
    const part = moves.slice(i, i + CHUNK);
    await manager.query(
      `UPDATE "${table}" AS t SET "jurisdictionId" = m.j
         FROM (SELECT unnest($1::${idType}[]) AS id, unnest($2::uuid[]) AS j) AS m
        WHERE t.id = m.id`,
      [part.map((m) => m[0]), part.map((m) => m[1])],
    );
  }
  return moves.length;
}
