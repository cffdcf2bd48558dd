import {
  assertContainment,
  containmentProblems,
  JurisdictionImportHeader,
  JurisdictionImportOptions,
  JurisdictionImportPlan,
  JurisdictionNode,
  planJurisdictionImport,
  TiergateError,
} from '@tiergate/domain';

/** Caps on the positions of an import's boundaries (defaults: 20,000 per boundary, 200,000 per import). */
export type TreeImportLimits = Pick<JurisdictionImportOptions, 'maxVerticesPerFeature' | 'maxVerticesPerImport'>;

export interface ImportCheckRequest {
  /** The stored tree the import is planned against. */
  existing: JurisdictionNode[];
  features: unknown[];
  /** The importer's home; null for the built-in admin. */
  homeId: string | null;
  limits: TreeImportLimits;
}

/**
 * A non-built-in admin changes only the strict descendants of its home node: every stored node the file
 * touches is below home, and every node's new parent chain leads to home. One message for stored and
 * unknown codes alike, so the answer does not reveal what exists outside the admin's tree. Needs only
 * the features' codes, so it runs before any geometry is read.
 */
export function assertImportWithinHome(homeId: string, headers: readonly JurisdictionImportHeader[], existing: readonly JurisdictionNode[]): void {
  const byId = new Map(existing.map((n) => [n.id, n]));
  const home = byId.get(homeId);
  if (!home) throw new TiergateError('FORBIDDEN', 'your home jurisdiction no longer exists; ask an administrator to move your account to another jurisdiction');
  const parentOf = new Map<string, string | null>(existing.map((n) => [n.code, n.parentId === null ? null : (byId.get(n.parentId)?.code ?? null)]));
  for (const i of headers) parentOf.set(i.code, i.parentCode);
  const outside: string[] = [];
  for (const item of headers) {
    let cursor = item.parentCode;
    let steps = 0;
    while (cursor !== null && cursor !== home.code && steps++ < 10_000) cursor = parentOf.get(cursor) ?? null;
    if (item.code === home.code || cursor !== home.code) outside.push(`feature ${item.featureIndex}: code ${item.code} is not below your jurisdiction ${home.code}`);
  }
  if (outside.length > 0) {
    throw new TiergateError('FORBIDDEN', `jurisdiction import rejected: ${outside.slice(0, 10).join('; ')}${outside.length > 10 ? `; and ${outside.length - 10} more` : ''}`);
  }
}

/**
 * Pure and synchronous (the import worker runs it off the event loop): authorization from the codes
 * alone, then every geometry (vertex caps, validity by a sweep line), then the nesting rule
 * (docs/jurisdiction-boundaries.md). Returns the plan or throws the TiergateError that refuses the import.
 */
export function checkJurisdictionImport(request: ImportCheckRequest): JurisdictionImportPlan {
  const { existing, features, homeId, limits } = request;
  const plan = planJurisdictionImport(existing, features, {
    ...limits,
    authorize: homeId === null ? undefined : (headers) => assertImportWithinHome(homeId, headers, existing),
  });
  const home = homeId === null ? undefined : existing.find((n) => n.id === homeId);
  const steps = containmentProblems(existing, plan.order, home);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      assertContainment(step.value);
      return plan;
    }
  }
}
