import { TiergateError } from '../errors';
import type { Geometry } from '../geo';
import { checkContainment, CONTAINMENT_TOLERANCE_DEG, ContainmentReport } from '../geo';
import type { JurisdictionImportItem, JurisdictionImportProblem } from './jurisdiction-import.planner';
import type { JurisdictionNode } from './jurisdiction-node.types';

const METRES_PER_DEG = 111_320;
const MAX_REPORTED = 10;

interface After {
  code: string;
  parentCode: string | null;
  boundary: Geometry | null;
  /** The import item that sets this node, when the file has it. */
  item?: JurisdictionImportItem;
}

function describe(report: ContainmentReport, lat: number): string {
  const m2 = (deg2: number) => deg2 * METRES_PER_DEG * METRES_PER_DEG * Math.cos((lat * Math.PI) / 180);
  if (report.farthest === undefined || report.farthest.distance !== Infinity) {
    return (
      `the part outside covers ${report.outsideArea.toExponential(3)} deg² (about ${Math.round(m2(report.outsideArea))} m²), ` +
      `more than the ${CONTAINMENT_TOLERANCE_DEG}° band along the border allows (${report.allowedArea.toExponential(3)} deg²)`
    );
  }
  const [lon, lat2] = report.farthest.position;
  return `position [${lon}, ${lat2}] lies outside, farther than ${CONTAINMENT_TOLERANCE_DEG}° (about ${Math.round(CONTAINMENT_TOLERANCE_DEG * METRES_PER_DEG * 100)} cm) from the border`;
}

const latitudeOf = (g: Geometry): number => (g.type === 'Polygon' ? g.coordinates[0][0][1] : g.coordinates[0][0][0][1]);

/**
 * The nesting rule of an import (docs/jurisdiction-boundaries.md): after it, the boundary of every node
 * the file creates or changes lies within the boundary of its nearest ancestor that has one, every
 * stored child of a node it changes still lies within that node, and, when `home` is given (anyone but
 * the built-in admin), every node the file creates or changes lies within the importer's home boundary.
 * Yields after each geometry comparison so the caller can let the event loop run. Returns the problems
 * (code BOUNDARY_OUTSIDE_PARENT) in feature order.
 */
export function* containmentProblems(
  existing: readonly JurisdictionNode[],
  items: readonly JurisdictionImportItem[],
  home?: JurisdictionNode,
): Generator<void, JurisdictionImportProblem[]> {
  const codeOfId = new Map(existing.map((n) => [n.id, n.code]));
  const after = new Map<string, After>();
  for (const n of existing) after.set(n.code, { code: n.code, parentCode: n.parentId === null ? null : (codeOfId.get(n.parentId) ?? null), boundary: n.boundary });
  for (const item of items) after.set(item.code, { code: item.code, parentCode: item.parentCode, boundary: item.boundary, item });
  const touched = (n: After): boolean => n.item !== undefined && n.item.changed;

  const nearestBounded = (n: After): After | undefined => {
    let cursor = n.parentCode;
    for (let steps = 0; cursor !== null && steps < 10_000; steps++) {
      const node = after.get(cursor);
      if (!node) return undefined;
      if (node.boundary) return node;
      cursor = node.parentCode;
    }
    return undefined;
  };

  const problems: JurisdictionImportProblem[] = [];
  const report = (feature: number, message: string) => problems.push({ feature, code: 'BOUNDARY_OUTSIDE_PARENT', message: `feature ${feature}: ${message}` });
  for (const node of after.values()) {
    if (!node.boundary) continue;
    const parent = nearestBounded(node);
    if (parent && (touched(node) || touched(parent))) {
      const result = checkContainment(node.boundary, parent.boundary!);
      yield;
      if (!result.within) {
        const rule = `must lie within its parent ${parent.code}'s boundary (rule: docs/jurisdiction-boundaries.md)`;
        if (touched(node)) report(node.item!.featureIndex, `code ${node.code}: the boundary ${rule}: ${describe(result, latitudeOf(node.boundary))}`);
        else report(parent.item!.featureIndex, `code ${parent.code}: the new boundary no longer holds its stored child ${node.code}, which ${rule}: ${describe(result, latitudeOf(node.boundary))}`);
      }
    }
    if (home?.boundary && touched(node) && parent?.code !== home.code) {
      const result = checkContainment(node.boundary, home.boundary);
      yield;
      if (!result.within) {
        report(
          node.item!.featureIndex,
          `code ${node.code}: the boundary must lie within your jurisdiction ${home.code}'s boundary (rule: docs/jurisdiction-boundaries.md): ${describe(result, latitudeOf(node.boundary))}`,
        );
      }
    }
  }
  return problems.sort((a, b) => a.feature - b.feature);
}

/** Runs `containmentProblems` to the end and throws one TiergateError listing every problem, if any. */
export function assertContainment(problems: readonly JurisdictionImportProblem[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, MAX_REPORTED).map((p) => p.message);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  throw new TiergateError('BOUNDARY_OUTSIDE_PARENT', `jurisdiction import rejected, ${problems.length} problem(s): ${shown.join('; ')}${more}`, {
    errors: problems.map(({ feature, code, message }) => ({ feature, code, message })),
  });
}
