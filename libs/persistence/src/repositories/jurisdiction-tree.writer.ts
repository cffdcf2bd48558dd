import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { featuresOf, importHeadersOf, isUuid, JurisdictionImportPlan, JurisdictionNode, JurisdictionTree, notFound, TiergateError } from '@tiergate/domain';
import type { JurisdictionsImportReply, TreeActor } from '@tiergate/contracts';
import { AuditEntryEntity, JurisdictionEntity } from '../entities';
import { reassignPoints, repairPoints } from './point.reassigner';
import { loadJurisdictionNodes, lockTreeForWrite } from './jurisdiction-tree.lock';
import { assertImportWithinHome, TreeImportLimits } from './jurisdiction-import.checker';
import { ImportCheckPool } from './jurisdiction-import.pool';

export type { TreeImportLimits } from './jurisdiction-import.checker';

/** Same shape as the partitioner's reply message. */
export type TreeImportResult = JurisdictionsImportReply;

const INSERT_CHUNK = 200;

/**
 * The one code path that writes the jurisdiction tree. Each change runs in one transaction holding the
 * tree lock (EXCLUSIVE, see jurisdiction-tree.lock.ts), so writers queue up whichever process they run
 * in, camera and incident writes that place rows by the tree wait for it (and it for them), and a
 * failure leaves nothing behind: nodes, the cameras and incidents they reassign, and the audit entry
 * commit together or not at all. The caller then refreshes caches (TreeChangeNotifier in libs/access).
 *
 * Every import reassigns, even one that changes no node: a re-import is how an operator repairs rows
 * whose stored jurisdiction differs from what the tree says (rows written before placement took the
 * tree lock, or fixed by hand in the database).
 */
@Injectable()
export class JurisdictionTreeWriter implements OnModuleDestroy {
  /** Set once at start-up from the configuration (`jurisdictions.*`); the defaults otherwise. */
  limits: TreeImportLimits = {};

  private readonly checks = new ImportCheckPool();

  constructor(private readonly dataSource: DataSource) {}

  async onModuleDestroy(): Promise<void> {
    await this.checks.close();
  }

  /**
   * The import is checked before the tree lock is taken, against the tree as stored then: first who may
   * import what (from the codes alone, on the event loop: cheap), then on a worker thread each geometry
   * (vertex caps, an O(n log n) sweep-line validity check) and the nesting rule. Under the lock it is
   * only checked again when the tree changed meanwhile; then it is written and the rows reassigned.
   */
  async import(actor: TreeActor, featureCollection: unknown): Promise<TreeImportResult> {
    const features = featuresOf(featureCollection);
    const before = await loadJurisdictionNodes(this.dataSource);
    const prepared = await this.prepare(actor, before.nodes, features);
    const reply = await this.dataSource.transaction(async (m) => {
      await lockTreeForWrite(m);
      const stored = await loadJurisdictionNodes(m);
      const existing = stored.nodes;
      const plan = stored.version === before.version ? prepared : await this.prepare(actor, existing, features);
      const idOf = new Map(existing.map((n) => [n.code, n.id]));
      const creates = plan.order.filter((i) => i.action === 'create');
      for (const item of creates) idOf.set(item.code, randomUUID());
      // Parents come first in plan.order, so every chunk's parents exist (or are in the same statement).
      for (let i = 0; i < creates.length; i += INSERT_CHUNK) {
        await m.getRepository(JurisdictionEntity).insert(
          creates.slice(i, i + INSERT_CHUNK).map((item) => ({
            id: idOf.get(item.code)!,
            code: item.code,
            name: item.name,
            tier: item.tier,
            parentId: item.parentCode === null ? null : idOf.get(item.parentCode)!,
            boundary: item.boundary as never,
          })),
        );
      }
      const changed = plan.updates.filter((u) => u.changed);
      for (const item of changed) {
        await m.getRepository(JurisdictionEntity).update(
          { id: item.existingId! },
          { name: item.name, tier: item.tier, parentId: item.parentCode === null ? null : idOf.get(item.parentCode)!, boundary: item.boundary as never },
        );
      }
      // The tree as now stored, from the nodes read under the lock and the plan (no re-read of every boundary);
      // the constructor checks it whole again (cycles, parents).
      const tree = new JurisdictionTree(creates.length > 0 || changed.length > 0 ? nodesAfter(existing, plan, idOf) : existing);
      const reassigned = await reassignPoints(m, tree, actor.jurisdictionId ?? undefined);
      const result: TreeImportResult = {
        created: creates.length,
        updated: changed.length,
        unchanged: plan.updates.length - changed.length,
        reassignedCameras: reassigned.cameras,
        reassignedIncidents: reassigned.incidents,
      };
      await audit(m, actor, 'jurisdictions.import', null, { ...result, codes: plan.order.slice(0, 50).map((i) => i.code) });
      return result;
    });
    return reply;
  }

  /** Authorization, geometry and nesting checks of an import against `existing`; throws the first refusal. */
  private async prepare(actor: TreeActor, existing: JurisdictionNode[], features: unknown[]): Promise<JurisdictionImportPlan> {
    if (actor.jurisdictionId !== null) assertImportWithinHome(actor.jurisdictionId, importHeadersOf(features), existing);
    return this.checks.check({ existing, features, homeId: actor.jurisdictionId, limits: this.limits });
  }

  /**
   * The partitioner's repair after a tree change (see `repairPoints`): under the tree lock, moves the
   * misplaced cameras and incidents. Audited only when it moved something.
   */
  async repair(): Promise<{ cameras: number; incidents: number }> {
    return this.dataSource.transaction(async (m) => {
      await lockTreeForWrite(m);
      const moved = await repairPoints(m, new JurisdictionTree(await loadNodes(m)));
      if (moved.cameras > 0 || moved.incidents > 0) {
        await audit(m, { userId: null, username: 'partitioner', role: 'admin', jurisdictionId: null } as unknown as TreeActor, 'jurisdictions.repair', null, moved);
      }
      return moved;
    });
  }

  async delete(actor: TreeActor, id: string): Promise<{ deleted: string }> {
    if (!isUuid(id)) throw notFound('jurisdiction');
    await this.dataSource.transaction(async (m) => {
      await lockTreeForWrite(m);
      const nodes = await loadNodes(m);
      const tree = new JurisdictionTree(nodes);
      const node = tree.get(id);
      if (!node) throw notFound('jurisdiction');
      if (actor.jurisdictionId !== null) {
        if (!tree.isInSubtree(actor.jurisdictionId, id)) throw notFound('jurisdiction');
        if (actor.jurisdictionId === id) throw new TiergateError('FORBIDDEN', 'you cannot delete your own home jurisdiction');
      }
      const [counts] = await m.query(
        `SELECT (SELECT count(*) FROM jurisdictions WHERE "parentId" = $1)::int AS children,
                (SELECT count(*) FROM cameras WHERE "jurisdictionId" = $1)::int AS cameras,
                (SELECT count(*) FROM users WHERE "jurisdictionId" = $1)::int AS users,
                (SELECT count(*) FROM incidents WHERE "jurisdictionId" = $1)::int AS incidents`,
        [id],
      );
      const held = (['children', 'cameras', 'users', 'incidents'] as const)
        .filter((k) => counts[k] > 0)
        .map((k) => `${counts[k]} ${k === 'children' ? 'child jurisdiction(s)' : k}`);
      if (held.length > 0) {
        throw new TiergateError('CONFLICT', `jurisdiction ${node.code} (${node.name}) still has ${held.join(', ')}; move or delete them first`, {
          children: counts.children,
          cameras: counts.cameras,
          users: counts.users,
          incidents: counts.incidents,
        });
      }
      // Shares of or to the node end with it (kept as revoked history, not deleted).
      await m.query(`UPDATE access_grants SET "revokedAt" = now() WHERE "revokedAt" IS NULL AND ("jurisdictionId" = $1 OR "granteeJurisdictionId" = $1)`, [id]);
      await m.getRepository(JurisdictionEntity).delete({ id });
      await audit(m, actor, 'jurisdictions.delete', id, { code: node.code, name: node.name, tier: node.tier });
    });
    return { deleted: id };
  }
}

/** The stored nodes with the plan applied: what the tree holds after the writes above. */
function nodesAfter(existing: readonly JurisdictionNode[], plan: JurisdictionImportPlan, idOf: ReadonlyMap<string, string>): JurisdictionNode[] {
  const byId = new Map(existing.map((n) => [n.id, n]));
  for (const item of plan.order) {
    const id = idOf.get(item.code)!;
    byId.set(id, { id, code: item.code, name: item.name, tier: item.tier, parentId: item.parentCode === null ? null : idOf.get(item.parentCode)!, boundary: item.boundary });
  }
  return [...byId.values()];
}

async function loadNodes(m: EntityManager): Promise<JurisdictionNode[]> {
  return (await loadJurisdictionNodes(m)).nodes;
}

async function audit(m: EntityManager, actor: TreeActor, action: string, targetId: string | null, details: Record<string, unknown>): Promise<void> {
  await m.getRepository(AuditEntryEntity).insert({
    actorId: actor.userId,
    actorName: actor.username,
    action,
    targetType: 'jurisdiction',
    targetId,
    details: details as never,
  });
}
