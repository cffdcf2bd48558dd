import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isGeometry, JurisdictionNode, JurisdictionTree } from '@tiergate/domain';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';

/**
 * The jurisdiction tree of this process, loaded once and kept until the tree changes: another process
 * says so on `Topics.jurisdictionsChanged`, or local code calls `invalidate()` after a write. Scope
 * checks and point location read it instead of running a recursive query per request.
 */
/** Safety net for a change notice lost while the broker was away: reload at least this often. */
export const TREE_MAX_AGE_MS = 60_000;

@Injectable()
export class JurisdictionTreeCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('JurisdictionTreeCache');
  private current: Promise<JurisdictionTree> | undefined;
  private loadedAt = 0;
  private generation = 0;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MqttBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.jurisdictionsChanged, () => this.invalidate());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
  }

  /** The current tree; loads it on first use and after an invalidation. */
  tree(now = Date.now()): Promise<JurisdictionTree> {
    if (this.current && now - this.loadedAt > TREE_MAX_AGE_MS) this.invalidate();
    if (this.current) return this.current;
    this.loadedAt = now;
    const generation = this.generation;
    const loading = this.load();
    this.current = loading;
    loading.catch(() => {
      if (this.current === loading) this.current = undefined; // a failed load is retried next time
    });
    // An invalidation that arrives while loading must not be overwritten by the older load.
    return loading.then((t) => (generation === this.generation ? t : this.tree()));
  }

  /** Drops the cached tree; the next `tree()` reads the database again. */
  invalidate(): void {
    this.generation++;
    this.current = undefined;
  }

  private async load(): Promise<JurisdictionTree> {
    const rows: Array<Omit<JurisdictionNode, 'boundary'> & { boundary: unknown }> = await this.dataSource.query(
      `SELECT id, code, name, tier, "parentId", boundary FROM jurisdictions`,
    );
    const nodes: JurisdictionNode[] = rows.map((r) => ({ ...r, boundary: isGeometry(r.boundary) ? r.boundary : null }));
    const tree = new JurisdictionTree(nodes);
    this.logger.debug(`loaded ${tree.size} jurisdictions`);
    return tree;
  }
}
