import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ScopeService } from '@tiergate/access';
import { HotspotChangedMessage, Topics } from '@tiergate/contracts';
import { computeHotspots, JurisdictionNode, JurisdictionTree } from '@tiergate/domain';
import { MqttBus } from '@tiergate/messaging';
import { IncidentRepository, SettingsRepository } from '@tiergate/persistence';
import { IncidentImportEvents, IncidentsImported } from '../incidents/incident-import.events';
import { diffHotCells, HotCellState } from './hot-cell.diff';

/** Settings key of the last hot cells seen for a node. */
export const hotCellStateKey = (jurisdictionId: string): string => `hotspots/${jurisdictionId}`;

/**
 * After each import, recomputes the hot spots (default cell size and radius, all types and dates) of
 * every affected top-level and station node and publishes `Topics.hotspotEvent(nodeId)` for each cell
 * that became hot at 95 % or more ("new") or stayed hot with a larger count ("grown"). The last state
 * is kept in the settings table, so a restart does not announce old hot spots again. Recomputations run
 * one at a time, in import order.
 */
@Injectable()
export class HotspotEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('HotspotEvents');
  private queue: Promise<void> = Promise.resolve();
  private stopListening?: () => void;

  constructor(
    private readonly imports: IncidentImportEvents,
    private readonly incidents: IncidentRepository,
    private readonly scopes: ScopeService,
    private readonly bus: MqttBus,
    private readonly settings: SettingsRepository,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.imports.on((event) => this.enqueue(event));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await this.queue;
  }

  /** Resolves when this event's recomputation is done (tests and shutdown wait on it). */
  enqueue(event: IncidentsImported): Promise<void> {
    const run = this.queue.then(() => this.recompute(event));
    this.queue = run.catch((e) => this.logger.error(`hotspot recomputation failed: ${(e as Error)?.message ?? String(e)}`));
    return this.queue;
  }

  private async recompute(event: IncidentsImported): Promise<void> {
    const tree = await this.scopes.tree();
    for (const node of watchedNodesOf(tree, event.jurisdictionIds)) {
      if (!node.boundary) continue;
      const points = await this.incidents.points({ jurisdictionIds: [...tree.subtreeIds(node.id)] });
      const result = computeHotspots({ incidents: points, studyArea: [node.boundary] });
      const key = hotCellStateKey(node.id);
      const previous = (await this.settings.get<HotCellState>(key)) ?? {};
      const { changes, state } = diffHotCells(previous, result.cells);
      await this.settings.put(key, state);
      const at = new Date().toISOString();
      for (const change of changes) {
        const message: HotspotChangedMessage = {
          jurisdictionId: node.id,
          kind: change.kind,
          cell: { x: change.cell.x, y: change.cell.y, count: change.cell.count, z: change.cell.z },
          at,
        };
        await this.bus.publish(Topics.hotspotEvent(node.id), message, { qos: 1 });
      }
      if (changes.length > 0) this.logger.log(`${changes.length} hot spot change(s) in ${node.code}`);
    }
  }
}

/** The top-level and station nodes at or above the given nodes, parents first. */
export function watchedNodesOf(tree: JurisdictionTree, ids: Iterable<string>): JurisdictionNode[] {
  const out = new Map<string, JurisdictionNode>();
  for (const id of ids) {
    if (!tree.has(id)) continue;
    for (const node of [...tree.ancestors(id)].reverse().concat(tree.get(id)!)) {
      if (node.parentId === null || node.tier === 'station') out.set(node.id, node);
    }
  }
  return [...out.values()];
}
