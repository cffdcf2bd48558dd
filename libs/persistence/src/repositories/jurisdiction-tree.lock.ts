import { createHash } from 'node:crypto';
import { isGeometry, JurisdictionNode } from '@tiergate/domain';

/** Runs SQL: a DataSource, or an EntityManager inside a transaction. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * The tree lock, on the jurisdictions table. Writers of the tree take it EXCLUSIVE; code that places
 * rows by the tree (camera and incident writes) takes it SHARE inside its own transaction, before it
 * places anything. SHARE conflicts with EXCLUSIVE and not with itself, so placements run alongside each
 * other, a writer waits for the placements in progress, and a placement waits for a writer in progress
 * and then, in READ COMMITTED, reads the tree that writer committed. Either way the rows a placement
 * inserts and the tree it placed them by commit as one version, and a later writer sees and
 * reassigns them. Both locks are held until the end of the transaction.
 */
export async function lockTreeForWrite(runner: SqlRunner): Promise<void> {
  await runner.query(`LOCK TABLE jurisdictions IN EXCLUSIVE MODE`);
}

/** See `lockTreeForWrite`: the placement side (SHARE), until the end of the caller's transaction. */
export async function lockTreeForPlacement(runner: SqlRunner): Promise<void> {
  await runner.query(`LOCK TABLE jurisdictions IN SHARE MODE`);
}

/**
 * Pure: a version of the stored tree, from each row's id and `xmin` (the id of the transaction that
 * wrote that row version: any insert or update of a node changes it, a delete removes the row). Equal
 * versions mean the very same rows, so a tree built from them can be used as is.
 */
export function treeVersionOf(rows: readonly { id: string; xmin: string | number }[]): string {
  const hash = createHash('sha256');
  for (const r of [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) hash.update(`${r.id}@${r.xmin};`);
  return hash.digest('base64url');
}

/** The stored tree's version (one small query: ids and row versions, no boundaries). */
export async function readTreeVersion(runner: SqlRunner): Promise<string> {
  return treeVersionOf(await runner.query(`SELECT id, xmin::text AS xmin FROM jurisdictions`));
}

/** Every stored node and, from the same rows (one statement, one snapshot), the tree's version. */
export async function loadJurisdictionNodes(runner: SqlRunner): Promise<{ nodes: JurisdictionNode[]; version: string }> {
  const rows: Array<Omit<JurisdictionNode, 'boundary'> & { boundary: unknown; xmin: string }> = await runner.query(
    `SELECT id, code, name, tier, "parentId", boundary, xmin::text AS xmin FROM jurisdictions`,
  );
  const nodes = rows.map(({ xmin: _xmin, ...r }) => ({ ...r, boundary: isGeometry(r.boundary) ? r.boundary : null }));
  return { nodes, version: treeVersionOf(rows) };
}
