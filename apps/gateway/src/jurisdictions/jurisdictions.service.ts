import { Injectable } from '@nestjs/common';
import { Principal, ScopeService, scopeAllowsJurisdiction } from '@tiergate/access';
import { JurisdictionTreeCache, TreeChangeNotifier } from '@tiergate/jurisdictions';
import type { TreeActor } from '@tiergate/contracts';
import { notFound } from '@tiergate/domain';
import { JurisdictionsRepository, JurisdictionTreeWriter } from '@tiergate/persistence';
import { PopulationsService } from '../rates/populations.service';
import { JurisdictionStats, JurisdictionView, statsOf, toJurisdictionView } from './jurisdiction.view';

const actorOf = (p: Principal): TreeActor => ({ userId: p.userId, username: p.username, role: p.role, jurisdictionId: p.jurisdictionId });

/**
 * Reads the tree from the cache within the caller's scope. Changes call the shared tree writer
 * (libs/persistence) directly instead of sending the file to the partitioner over the broker:
 * - an import file may be tens of MB; over MQTT it would be one JSON message through the broker and
 *   Nest's transport, with a timeout to guess, for no gain;
 * - without shared subscriptions (aedes has no `$share`), every partitioner on the broker receives
 *   every command, so one writer per change could not come from the topology anyway. It comes from the
 *   database: the writer's transaction takes an EXCLUSIVE lock on the tree, so writers in any process
 *   queue up, and a failure rolls everything back. The partitioner app serves the same writer over
 *   the broker (Commands.jurisdictionsImport) for other clients.
 * After a change, TreeChangeNotifier refreshes this process's cache and tells the others.
 */
@Injectable()
export class JurisdictionsService {
  constructor(
    private readonly scopes: ScopeService,
    private readonly cache: JurisdictionTreeCache,
    private readonly jurisdictions: JurisdictionsRepository,
    private readonly writer: JurisdictionTreeWriter,
    private readonly notifier: TreeChangeNotifier,
    private readonly populations: PopulationsService,
  ) {}

  async list(principal: Principal, withBoundary: boolean): Promise<JurisdictionView[]> {
    const scope = await this.scopes.scopeOf(principal);
    const tree = await this.cache.tree();
    return tree.all().filter((n) => scopeAllowsJurisdiction(scope, n.id)).map((n) => toJurisdictionView(n, withBoundary));
  }

  async get(principal: Principal, id: string): Promise<JurisdictionView> {
    await this.scopes.assertJurisdictionVisible(principal, id);
    const node = (await this.cache.tree()).get(id);
    if (!node) throw notFound('jurisdiction');
    return toJurisdictionView(node, true);
  }

  async stats(principal: Principal): Promise<JurisdictionStats> {
    const scope = await this.scopes.scopeOf(principal);
    const tree = await this.cache.tree();
    const counts = await this.jurisdictions.counts();
    return statsOf(
      tree,
      (id) => scopeAllowsJurisdiction(scope, id),
      counts.cameras,
      counts.users,
    );
  }

  /** Writes the file's nodes and reassigns every misplaced located row (also when no node changed: a re-import repairs). */
  async import(
    principal: Principal,
    featureCollection: unknown,
  ): Promise<{ created: number; updated: number; unchanged: number; reassignedCameras: number; reassignedIncidents: number }> {
    const populations = this.populations.checkGeoJson(featureCollection); // features' `population` (docs/methods.md)
    const reply = await this.writer.import(actorOf(principal), featureCollection);
    await this.populations.storeFromGeoJson(principal, populations);
    if (reply.created > 0 || reply.updated > 0) await this.notifier.changed('import');
    return { created: reply.created, updated: reply.updated, unchanged: reply.unchanged, reassignedCameras: reply.reassignedCameras, reassignedIncidents: reply.reassignedIncidents };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.scopes.assertJurisdictionVisible(principal, id);
    await this.writer.delete(actorOf(principal), id);
    await this.notifier.changed('delete');
  }
}
