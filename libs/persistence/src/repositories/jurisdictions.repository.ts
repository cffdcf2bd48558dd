import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JurisdictionNode } from '@tiergate/domain';
import { runnerOf, Tx } from '../transactor';
import { loadJurisdictionNodes, lockTreeForPlacement, readTreeVersion } from './jurisdiction-tree.lock';

/** Head counts per node, for the tree's statistics. */
export interface NodeCounts {
  cameras: Map<string, number>;
  users: Map<string, number>;
}

/**
 * Reads of the `jurisdictions` table (its writes are JurisdictionTreeWriter's: one transaction per tree
 * change under the tree lock). The tree is read whole: ~150 nodes for a district, cached per process by
 * JurisdictionTreeCache (libs/jurisdictions).
 */
@Injectable()
export class JurisdictionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every node and the tree's version, from one statement. */
  loadTree(tx?: Tx): Promise<{ nodes: JurisdictionNode[]; version: string }> {
    return loadJurisdictionNodes(runnerOf(this.dataSource, tx));
  }

  /** The stored tree's version (ids and row versions only). */
  treeVersion(tx?: Tx): Promise<string> {
    return readTreeVersion(runnerOf(this.dataSource, tx));
  }

  /** Takes the tree lock SHARE until `tx` ends: rows placed by the tree in `tx` commit with the tree they were placed by. */
  lockForPlacement(tx: Tx): Promise<void> {
    return lockTreeForPlacement(runnerOf(this.dataSource, tx));
  }

  /** How many cameras and users each node has (nodes without any are absent). */
  async counts(): Promise<NodeCounts> {
    const cameras: { id: string; n: number }[] = await this.dataSource.query(
      `SELECT "jurisdictionId" AS id, count(*)::int AS n FROM cameras WHERE "jurisdictionId" IS NOT NULL GROUP BY 1`,
    );
    const users: { id: string; n: number }[] = await this.dataSource.query(
      `SELECT "jurisdictionId" AS id, count(*)::int AS n FROM users WHERE "jurisdictionId" IS NOT NULL GROUP BY 1`,
    );
    return { cameras: new Map(cameras.map((r) => [r.id, r.n])), users: new Map(users.map((r) => [r.id, r.n])) };
  }
}
