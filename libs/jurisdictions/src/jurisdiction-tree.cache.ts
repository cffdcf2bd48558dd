import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JurisdictionTree } from '@tiergate/domain';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { JurisdictionsRepository, Tx } from '@tiergate/persistence';

/** Safety net for a change notice lost while the broker was away: reload at least this often. */
export const TREE_MAX_AGE_MS = 60_000;

interface VersionedTree {
  tree: JurisdictionTree;
  version: string;
}

/**
 * The jurisdiction tree of this process, loaded once and kept until the tree changes: another process
 * says so on `Topics.jurisdictionsChanged`, or local code calls `invalidate()` after a write. Scope
 * checks and point location read it instead of running a recursive query per request.
 *
 * `tree()` may be a moment behind the database (a change notice is on its way). Code that stores rows
 * placed by the tree calls `treeIn(tx)` inside its transaction instead: it takes the tree lock
 * and answers the tree exactly as that transaction sees it (the cached one when its version matches).
 */

@Injectable()
export class JurisdictionTreeCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('JurisdictionTreeCache');
  private current: Promise<VersionedTree> | undefined;
  /** The last tree loaded, kept across invalidations: `treeIn` compares versions with it. */
  private latest: VersionedTree | undefined;
  private loadedAt = 0;
  private generation = 0;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly jurisdictions: JurisdictionsRepository,
    private readonly bus: MqttBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.jurisdictionsChanged, () => this.invalidate());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
  }

  /** The current tree; loads it on first use and after an invalidation. */
  async tree(now = Date.now()): Promise<JurisdictionTree> {
    return (await this.versioned(now)).tree;
  }

  /**
   * The tree as the caller's transaction sees it, under the tree lock (SHARE, held until that
   * transaction ends: a tree import waits for it, and it for a tree import in progress). Call it before
   * the transaction writes rows placed by the tree, and place them with the answer. It is the very
   * object `tree()` returned when the stored tree has not changed since (one small query to compare
   * versions), so a caller that placed rows with that tree before its transaction may keep them.
   * Runs only in `tx`: waiting for another pooled connection here could wait forever (PGlite has one).
   */
  async treeIn(tx: Tx): Promise<JurisdictionTree> {
    await this.jurisdictions.lockForPlacement(tx);
    const version = await this.jurisdictions.treeVersion(tx);
    if (this.latest?.version === version) return this.latest.tree;
    const generation = this.generation;
    const fresh = await this.load(tx);
    // Committed rows (writers are locked out): good for everyone, unless a newer notice came meanwhile.
    if (generation === this.generation) {
      this.latest = fresh;
      this.current = Promise.resolve(fresh);
      this.loadedAt = Date.now();
    }
    return fresh.tree;
  }

  /** Drops the cached tree; the next `tree()` reads the database again. */
  invalidate(): void {
    this.generation++;
    this.current = undefined;
  }

  private versioned(now: number): Promise<VersionedTree> {
    if (this.current && now - this.loadedAt > TREE_MAX_AGE_MS) this.invalidate();
    if (this.current) return this.current;
    this.loadedAt = now;
    const generation = this.generation;
    const loading = this.load();
    this.current = loading;
    loading.then(
      (t) => {
        if (this.current === loading) this.latest = t;
      },
      () => {
        if (this.current === loading) this.current = undefined; // a failed load is retried next time
      },
    );
    // An invalidation that arrives while loading must not be overwritten by the older load.
    return loading.then((t) => (generation === this.generation ? t : this.versioned(Date.now())));
  }

  /** The version of the tree last loaded (undefined before the first load). */
  get loadedVersion(): string | undefined {
    return this.latest?.version;
  }

  private async load(tx?: Tx): Promise<VersionedTree> {
    const { nodes, version } = await this.jurisdictions.loadTree(tx);
    const tree = new JurisdictionTree(nodes);
    this.logger.debug(`loaded ${tree.size} jurisdictions`);
    return { tree, version };
  }
}
