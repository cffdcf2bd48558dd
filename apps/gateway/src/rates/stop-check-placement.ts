import { JurisdictionTree, placePoint } from '@tiergate/domain';
import type { StopCheckRecord } from '@tiergate/persistence';
import type { RowError } from '../incidents/incident-file.parser';
import type { ParsedStopCheck } from './stop-check-log.parser';

/**
 * Pure: each stop-and-check assigned to its jurisdiction. A row's own `jurisdiction_code` wins: it must name a
 * node the importer administers (`administered`; undefined = everything), and a code that does not exist reads
 * exactly like one outside the importer's subtree. Without a code the point is placed by `placePoint` (the one
 * rule for every point) within the administered subtree.
 */
export function placeStopChecks(tree: JurisdictionTree, rows: readonly ParsedStopCheck[], administered: ReadonlySet<string> | undefined): { records: StopCheckRecord[]; errors: RowError[] } {
  const records: StopCheckRecord[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    let jurisdictionId: string | undefined;
    if (row.jurisdictionCode !== undefined) {
      const node = tree.byCode(row.jurisdictionCode);
      if (!node || (administered !== undefined && !administered.has(node.id))) {
        errors.push({ line: row.line, message: `jurisdiction_code "${row.jurisdictionCode}" is not a jurisdiction of yours` });
        continue;
      }
      jurisdictionId = node.id;
    } else {
      const placed = placePoint(tree, row.point!.lon, row.point!.lat, administered);
      if (placed.kind !== 'placed') {
        const where = placed.kind === 'outside-administered' ? 'outside your jurisdiction' : 'outside every jurisdiction';
        errors.push({ line: row.line, message: `the place (${row.point!.lat}, ${row.point!.lon}) is ${where}` });
        continue;
      }
      jurisdictionId = placed.jurisdictionId;
    }
    records.push({
      checkedAt: row.checkedAt,
      place: row.place,
      lat: row.point?.lat ?? null,
      lon: row.point?.lon ?? null,
      jurisdictionId,
      persons: row.persons,
      vehicles: row.vehicles,
      result: row.result,
    });
  }
  return { records, errors };
}
