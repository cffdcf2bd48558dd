import { Injectable } from '@nestjs/common';
import { streamKeyId, type StreamKey, type StreamReadiness, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { WorkerDirectory } from './worker.directory';

/**
 * A heartbeat that reaches the gateway this soon after a placement may have been built before the worker
 * created the session (it crossed the reply on the bus): it neither confirms nor refutes the placement.
 */
export const CONFIRM_MARGIN_MS = 1000;

interface Placed {
  key: StreamKey;
  workerId: string;
  at: number;
  /** What the worker's answer said the session had (only for just-placed answers). */
  readyAt?: StreamReadiness;
}

/**
 * Who holds each session, as this gateway delivers it. The workers' heartbeats are the truth (each lists its
 * sessions; the last one of a worker counts however old it is, since a broker outage stops heartbeats, not
 * workers). Two things of the gateway's own fill the gaps:
 * - a just-placed answer (a worker's StreamEnsure reply) bridges the time until that worker's next heartbeat,
 *   which then confirms or refutes it;
 * - of several workers listing one session (a frozen worker back after its sessions moved, until it closes
 *   them), the one this gateway delivered from last keeps it, so viewers do not flip between timelines.
 * A worker found dead holds nothing (WorkerDirectory leaves it out until a newer heartbeat).
 */
@Injectable()
export class SessionHolders {
  private readonly justPlaced = new Map<string, Placed>();
  /** The worker each session was last delivered from (or placed on) by this gateway, and when. */
  private readonly deliveredFrom = new Map<string, Placed>();

  constructor(private readonly workers: WorkerDirectory) {}

  /** The worker to deliver a session from, recording the delivery. No I/O: every segment request calls it. */
  deliverFrom(key: StreamKey, now = Date.now()): WorkerHeartbeatMessage | undefined {
    const worker = this.holderOf(key);
    if (worker) this.deliveredFrom.set(streamKeyId(key), { key, workerId: worker.workerId, at: now });
    return worker;
  }

  /** The worker holding a session, unless found dead or in `exclude`; its heartbeat may be stale or withdrawn. */
  holderOf(key: StreamKey, exclude: ReadonlySet<string> = new Set()): WorkerHeartbeatMessage | undefined {
    const id = streamKeyId(key);
    const placed = this.justPlaced.get(id);
    if (placed) {
      if (this.workers.heardSince(placed.workerId, placed.at + CONFIRM_MARGIN_MS)) this.justPlaced.delete(id); // its heartbeats speak now
      else if (!exclude.has(placed.workerId)) {
        const worker = this.workers.deliverable(placed.workerId);
        if (worker) return worker;
      }
    }
    const listing = this.workers.holdersOf(key, exclude);
    const last = this.deliveredFrom.get(id)?.workerId;
    return listing.find((w) => w.workerId === last) ?? listing[0];
  }

  /**
   * What the session is known to have on this worker: this gateway's own just-placed answer (until the worker's
   * heartbeats speak for it), else the worker's last heartbeat (`ready`: the first segment). Undefined: not known
   * to be started there (starting, closing, not listed). No I/O.
   */
  readinessOf(key: StreamKey, workerId: string): StreamReadiness | undefined {
    const id = streamKeyId(key);
    const placed = this.justPlaced.get(id);
    const bridged = placed && placed.workerId === workerId && !this.workers.heardSince(workerId, placed.at + CONFIRM_MARGIN_MS) ? placed.readyAt : undefined;
    const listed = this.workers.deliverable(workerId)?.sessions.find((s) => streamKeyId(s) === id);
    if (listed?.state === 'ready') return 'segment';
    return bridged;
  }

  /** The worker this gateway delivered the session from last, if any. */
  lastDeliveredFrom(key: StreamKey): string | undefined {
    return this.deliveredFrom.get(streamKeyId(key))?.workerId;
  }

  /** A worker answered that it runs the session (and had `readyAt` of it): the bridge until its next heartbeat. */
  placed(key: StreamKey, workerId: string, now = Date.now(), readyAt: StreamReadiness = 'segment'): void {
    const entry = { key, workerId, at: now, readyAt };
    this.justPlaced.set(streamKeyId(key), entry);
    this.deliveredFrom.set(streamKeyId(key), entry);
  }

  /**
   * A worker was found dead: drops this gateway's just-placed answers on it and returns the sessions delivered
   * from it since `since` (people watch them: they are placed again at once).
   */
  releaseWorker(workerId: string, since: number): StreamKey[] {
    for (const [id, placed] of this.justPlaced) if (placed.workerId === workerId) this.justPlaced.delete(id);
    return [...this.deliveredFrom.values()].filter((d) => d.workerId === workerId && d.at >= since).map((d) => d.key);
  }
}
