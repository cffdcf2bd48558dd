import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Counter, register } from 'prom-client';
import { Topics, type StreamKey, WorkerHeartbeatMessage } from '@tiergate/contracts';
import { chooseWorker, holdersOf, isFresh, lastKnownHolder } from '@tiergate/media';
import { MqttBus } from '@tiergate/messaging';
import { DeadWorkers, failureVerdict, isBusy, type FailureVerdict } from './worker-liveness';

const deadWorkers = new Counter({ name: 'tiergate_workers_found_dead_total', help: 'Workers found unreachable from a failed request', registers: [register] });
const slowWorkers = new Counter({ name: 'tiergate_worker_slow_answers_total', help: 'Requests a busy worker did not answer in time, not taken for its death', registers: [register] });
/** A slow worker is logged at most once per this period. */
const SLOW_LOG_EVERY_MS = 10_000;

/**
 * The transcoder workers this gateway knows, from their MQTT heartbeats (retained, so a new gateway sees
 * them at once), and those it found dead from a failed request. Fresh heartbeats decide where NEW
 * sessions go; a worker with a stale heartbeat is still known, and keeps delivering the sessions it
 * runs for as long as it answers HTTP (a broker outage stops heartbeats, not workers).
 */
@Injectable()
export class WorkerDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WorkerDirectory');
  private readonly workers = new Map<string, WorkerHeartbeatMessage>();
  /** When this gateway last received each worker's heartbeat, by its own clock (workers' clocks may differ). */
  private readonly heardAt = new Map<string, number>();
  private readonly dead = new DeadWorkers();
  private readonly slowLoggedAt = new Map<string, number>();
  private readonly deathListeners = new Set<(workerId: string) => void>();
  /** Workers whose retained heartbeat was cleared and who sent none since. */
  private readonly withdrawn = new Set<string>();
  private readonly withdrawnListeners = new Set<(worker: WorkerHeartbeatMessage) => void>();
  private unsubscribe?: () => Promise<void>;

  constructor(
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.workerHeartbeatAll, (topic, payload) => {
      const hb = payload as WorkerHeartbeatMessage | null;
      if (hb === null) this.withdraw(topic.split('/')[3] ?? '');
      else if (typeof hb.workerId === 'string' && typeof hb.baseUrl === 'string') this.heard(hb);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** Records a heartbeat; one stamped after the worker was found dead brings it back. */
  heard(hb: WorkerHeartbeatMessage, now = Date.now()): void {
    this.workers.set(hb.workerId, hb);
    this.heardAt.set(hb.workerId, now);
    this.withdrawn.delete(hb.workerId);
    if (this.dead.heartbeat(hb.workerId, Date.parse(hb.at))) this.logger.log(`worker ${hb.workerId} is back (heartbeat after it was found dead)`);
  }

  /**
   * The worker's retained heartbeat was cleared (empty message): no new sessions go there until it sends a
   * heartbeat again; it keeps delivering what it runs. Listeners are told, to ask the worker itself.
   */
  withdraw(workerId: string): void {
    const worker = this.workers.get(workerId);
    if (!worker || this.withdrawn.has(workerId)) return;
    this.withdrawn.add(workerId);
    this.logger.log(`worker ${workerId} withdrew its heartbeat: no new sessions there; its sessions stay while it answers HTTP`);
    for (const listener of this.withdrawnListeners) listener(worker);
  }

  /** Calls `listener` each time a known worker's heartbeat is withdrawn; returns the function that removes it. */
  onWithdrawn(listener: (worker: WorkerHeartbeatMessage) => void): () => void {
    this.withdrawnListeners.add(listener);
    return () => this.withdrawnListeners.delete(listener);
  }

  /** May take new sessions: a fresh heartbeat that was not withdrawn, and not found dead since. */
  isLive(workerId: string, now = Date.now()): boolean {
    const hb = this.workers.get(workerId);
    return hb !== undefined && !this.dead.has(workerId) && !this.withdrawn.has(workerId) && isFresh(hb, now, this.config.transcoder.workerStaleMs);
  }

  /** Its retained heartbeat was cleared, and no heartbeat since. */
  isWithdrawn(workerId: string): boolean {
    return this.withdrawn.has(workerId);
  }

  /** Found dead from a failed request, and no heartbeat since. */
  isDead(workerId: string): boolean {
    return this.dead.has(workerId);
  }

  /** A worker to deliver from: known (its heartbeat was not withdrawn) and not found dead; its heartbeat may be stale. */
  deliverable(workerId: string): WorkerHeartbeatMessage | undefined {
    return this.dead.has(workerId) ? undefined : this.workers.get(workerId);
  }

  /**
   * Marks a worker dead at once (a request to it was refused, reset, or could not connect): no new
   * sessions go there until a newer heartbeat. Listeners run on the first report only.
   */
  markDead(workerId: string, reason: string, now = Date.now()): boolean {
    if (!this.dead.mark(workerId, now)) return false;
    deadWorkers.inc();
    this.logger.warn(`worker ${workerId} is unreachable (${reason}): its sessions move to other workers`);
    for (const listener of this.deathListeners) listener(workerId);
    return true;
  }

  /**
   * A request to the worker failed at the connection with `code` (worker-liveness.ts failureVerdict): 'dead'
   * marks it dead (its sessions move); 'slow' (no answer in time from a worker whose last heartbeat, heard
   * within a period, said it was busy) changes nothing: the caller answers that one request 503.
   */
  reportFailure(workerId: string, code: string | undefined, reason: string, now = Date.now()): FailureVerdict {
    const heardAgoMs = now - (this.heardAt.get(workerId) ?? -Infinity);
    if (failureVerdict(code, heardAgoMs, this.config.transcoder.heartbeatMs, isBusy(this.workers.get(workerId))) === 'dead') {
      this.markDead(workerId, reason, now);
      return 'dead';
    }
    slowWorkers.inc();
    if (now - (this.slowLoggedAt.get(workerId) ?? -Infinity) >= SLOW_LOG_EVERY_MS) {
      this.slowLoggedAt.set(workerId, now);
      this.logger.warn(`worker ${workerId} is busy (${reason}; heartbeat ${Math.round(heardAgoMs)} ms ago, loop delay ${this.workers.get(workerId)?.loopDelayMs ?? '?'} ms): not taken for dead, its sessions stay`);
    }
    return 'slow';
  }

  /** Calls `listener` each time a worker is found dead; returns the function that removes it. */
  onDeath(listener: (workerId: string) => void): () => void {
    this.deathListeners.add(listener);
    return () => this.deathListeners.delete(listener);
  }

  get(workerId: string): WorkerHeartbeatMessage | undefined {
    return this.workers.get(workerId);
  }

  /** For a new placement: the live worker already holding the session, else the least-loaded live one. */
  choose(cameraId: string, profile: string, exclude: ReadonlySet<string> = new Set(), now = Date.now()): WorkerHeartbeatMessage | undefined {
    return chooseWorker([...this.workers.values()], now, this.config.transcoder.workerStaleMs, { cameraId, profile }, new Set([...exclude, ...this.dead.ids(), ...this.withdrawn]));
  }

  /** Whether a heartbeat of the worker reached this gateway after `t` (this gateway's clock). */
  heardSince(workerId: string, t: number): boolean {
    return (this.heardAt.get(workerId) ?? -Infinity) > t;
  }

  /** Every worker whose last heartbeat (fresh or not) lists the session, newest first, unless found dead or excluded. */
  holdersOf(key: StreamKey, exclude: ReadonlySet<string> = new Set()): WorkerHeartbeatMessage[] {
    return holdersOf([...this.workers.values()], key, new Set([...exclude, ...this.dead.ids()]));
  }

  /** The worker whose last heartbeat (fresh or not) lists the session, unless found dead or excluded. */
  lastKnownHolder(cameraId: string, profile: string, exclude: ReadonlySet<string> = new Set()): WorkerHeartbeatMessage | undefined {
    return lastKnownHolder([...this.workers.values()], { cameraId, profile }, new Set([...exclude, ...this.dead.ids()]));
  }

  list(): WorkerHeartbeatMessage[] {
    return [...this.workers.values()];
  }
}
