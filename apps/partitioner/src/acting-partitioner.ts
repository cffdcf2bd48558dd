import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { snapshotGrantOf } from '@tiergate/access';
import { AccessSnapshotMessage, AccessTopics, Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { GrantsRepository, JurisdictionsRepository, JurisdictionTreeWriter, LeaseRepository } from '@tiergate/persistence';
import { RecordingPlanner } from './recording-planner';

/** The lease that makes one partitioner the acting one. */
export const PARTITIONER_LEASE = 'partitioner';
/** A lease not renewed for this long is free: a dead or frozen partitioner is replaced within about this. */
export const LEASE_TTL_MS = 6_000;
/** How often the acting partitioner renews its lease and the others try to take it. */
export const LEASE_TICK_MS = 2_000;
/** The acting partitioner publishes the access snapshot at least this often (it is also its sign of life). */
export const SNAPSHOT_EVERY_MS = 5_000;

type Job = 'repair' | 'publish' | 'recordings';

/**
 * The work that must happen once per change, whatever the number of partitioner processes: exactly one
 * acts, the holder of the `partitioner` lease (libs/persistence LeaseRepository); the others try to take
 * it every LEASE_TICK_MS and one of them does within LEASE_TTL_MS + LEASE_TICK_MS of the holder's death.
 * Every act first draws a fence from the lease, so a holder that lost it (frozen, cut off) stops acting.
 *
 * While acting:
 * - on taking over (start-up, or the acting one died): the repair of misplaced cameras and incidents
 *   (JurisdictionTreeWriter.repair: rows whose node is gone or no longer covers them, e.g. written while
 *   no partitioner ran); a tree import reassigns what it changed in its own transaction;
 * - after every grant change (AccessTopics.grantsChanged), every tree change, on taking over and every
 *   SNAPSHOT_EVERY_MS: the access snapshot (the grants not ended and the tree version), retained, with
 *   the fence as its version. Gateways and workers answer access checks from it (libs/access
 *   AccessSnapshots); the periodic one also drops grants that expired (each process already ignores
 *   them at their expiry).
 * - the recording plan (RecordingPlanner: when it says one is due, on taking over, and at least every 10 s),
 *   retained, with the fence as its version.
 * Jobs run one at a time in order; a job asked for while it waits is done once.
 */
@Injectable()
export class ActingPartitioner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActingPartitioner');
  /** This process's name in the lease. */
  readonly holder = `${hostname().slice(0, 60)}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private acting = false;
  private stopped = false;
  private ticker: NodeJS.Timeout | undefined;
  private lastPublished = 0;
  private readonly pending = new Set<Job>();
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribe: Array<() => Promise<void>> = [];

  constructor(
    private readonly leases: LeaseRepository,
    private readonly grants: GrantsRepository,
    private readonly jurisdictions: JurisdictionsRepository,
    private readonly writer: JurisdictionTreeWriter,
    private readonly bus: MqttBus,
    private readonly recordings: RecordingPlanner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe.push(await this.bus.subscribe(AccessTopics.grantsChanged, () => this.ask('publish')));
    // A tree import already reassigned its rows in its own transaction (and a deletion needs an empty
    // node): after a tree change only the snapshot (its tree version) is due, not a repair, whose tree
    // build and point checks would run on this event loop for every import.
    this.unsubscribe.push(await this.bus.subscribe(Topics.jurisdictionsChanged, () => this.ask('publish')));
    this.recordings.whenDue(() => this.ask('recordings'));
    await this.tick();
    this.ticker = setInterval(() => void this.tick(), LEASE_TICK_MS);
    this.ticker.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    for (const u of this.unsubscribe.splice(0)) await u().catch(() => undefined);
    await this.queue.catch(() => undefined);
    if (this.acting) {
      this.acting = false;
      // Hand over at once: another partitioner takes the lease at its next tick instead of after expiry.
      await this.leases.release(PARTITIONER_LEASE, this.holder).catch(() => undefined);
    }
  }

  /** True while this process is the acting partitioner. */
  get isActing(): boolean {
    return this.acting;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let holds: boolean;
    try {
      holds = await this.leases.acquire(PARTITIONER_LEASE, this.holder, LEASE_TTL_MS);
    } catch (e) {
      holds = false; // the database is away: another may take over; act again once the lease is ours
      this.logger.warn(`could not renew the partitioner lease: ${(e as Error).message}`);
    }
    if (holds && !this.acting) {
      this.acting = true;
      this.logger.log(`acting partitioner: ${this.holder}`);
      this.ask('repair');
      this.ask('publish');
      this.ask('recordings');
    } else if (!holds && this.acting) {
      this.acting = false;
      this.logger.warn('lost the partitioner lease; another partitioner acts');
    } else if (this.acting && Date.now() - this.lastPublished >= SNAPSHOT_EVERY_MS - LEASE_TICK_MS / 2) {
      this.ask('publish');
    }
  }

  private ask(job: Job): void {
    if (!this.acting || this.stopped || this.pending.has(job)) return;
    this.pending.add(job);
    this.queue = this.queue.then(() => this.run(job)).catch((e) => this.logger.warn(`partitioner ${job} failed: ${(e as Error).message}`));
  }

  private async run(job: Job): Promise<void> {
    this.pending.delete(job);
    if (!this.acting || this.stopped) return;
    const fence = await this.leases.act(PARTITIONER_LEASE, this.holder);
    if (fence === undefined) {
      this.acting = false;
      return void this.logger.warn('lost the partitioner lease; another partitioner acts');
    }
    if (job === 'recordings') return void (await this.recordings.publish(fence, this.holder));
    if (job === 'repair') {
      const moved = await this.writer.repair();
      if (moved.cameras + moved.incidents > 0) this.logger.log(`repaired the placement of ${moved.cameras} camera(s) and ${moved.incidents} incident(s)`);
      return;
    }
    const compiledAt = new Date();
    const [grants, treeVersion] = await Promise.all([this.grants.live(), this.jurisdictions.treeVersion()]);
    const snapshot: AccessSnapshotMessage = {
      version: fence,
      compiledAt: compiledAt.toISOString(),
      compiledBy: this.holder,
      treeVersion,
      grants: grants.map(snapshotGrantOf),
    };
    await this.bus.publish(AccessTopics.snapshot, snapshot, { retain: true, qos: 1 });
    this.lastPublished = Date.now();
  }
}
