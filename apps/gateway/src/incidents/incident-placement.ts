import { JurisdictionTree, placePoint } from '@tiergate/domain';
import type { ParsedIncident, RowError } from './incident-file.parser';
import type { IncidentRecord } from '@tiergate/persistence';

export interface PlacedIncidents {
  records: IncidentRecord[];
  errors: RowError[];
}

/**
 * Pure: each incident placed by `placePoint` (the one rule for every point), the importer's home subtree
 * (`home`) being what it may place into; a point owned by a node outside it, or outside every
 * jurisdiction, is a bad row.
 */
export function placeIncidents(tree: JurisdictionTree, rows: readonly ParsedIncident[], home: string | undefined): PlacedIncidents {
  const records: IncidentRecord[] = [];
  const errors: RowError[] = [];
  const administered = home === undefined ? undefined : tree.subtreeIds(home);
  for (const row of rows) {
    const placed = placePoint(tree, row.lon, row.lat, administered);
    if (placed.kind !== 'placed') {
      errors.push({
        line: row.line,
        message:
          placed.kind === 'outside-administered'
            ? `the point (${row.lat}, ${row.lon}) is outside your jurisdiction`
            : `the point (${row.lat}, ${row.lon}) is outside every jurisdiction`,
      });
      continue;
    }
    records.push({ id: row.id, type: row.type, occurredAt: row.occurredAt, lat: row.lat, lon: row.lon, jurisdictionId: placed.jurisdictionId });
  }
  return { records, errors };
}

/**
 * Pure: records whose id already belongs to an incident outside what the importer administers (it may
 * not move or overwrite those). `administered` undefined means everything (the built-in admin).
 */
export function ownershipErrors(
  records: readonly IncidentRecord[],
  owners: ReadonlyMap<string, string | null>,
  administered: ReadonlySet<string> | undefined,
  lineOf: ReadonlyMap<string, number>,
): RowError[] {
  if (administered === undefined) return [];
  return records
    .filter((r) => owners.has(r.id) && !administered.has(owners.get(r.id) ?? ''))
    .map((r) => ({ line: lineOf.get(r.id)!, message: `id "${r.id}" already belongs to an incident outside your jurisdiction` }));
}
