import { Injectable } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { streamKeyId, type StreamKey, type StreamProfile, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { notFound, TiergateError } from '@tiergate/domain';
import { CameraRecord, CameraRepository } from '@tiergate/persistence';
import { SessionHolders } from './session-holders';
import { StreamContinuity, type TimelinePosition } from './stream-continuity';
import { StreamEnsureRequests } from './stream-ensure.request';
import { WorkerDirectory } from './worker.directory';
import { WorkerSessionClient } from './worker-session.client';

const failovers = new Counter({ name: 'tiergate_stream_failovers_total', help: 'Sessions re-placed on another worker', registers: [register] });

/** Workers tried for one placement before giving up (each dead one is skipped at once). */
const MAX_ATTEMPTS = 3;

const busDown = () => new TiergateError('SERVICE_UNAVAILABLE', 'the message bus is unreachable: streams already playing keep playing, new ones cannot start now');

/**
 * Which worker runs each session this gateway delivers (docs/live-failover.md).
 * - New sessions go where fresh heartbeats say (the worker already running it, else the least loaded).
 * - Delivery of a running session never waits on heartbeats: its holder (SessionHolders: the heartbeats,
 *   bridged by this gateway's own just-placed answers) is used while it answers HTTP, also through a broker outage.
 * - A holder whose heartbeat is stale or the bus down is asked over HTTP whether it serves, and kept if it does.
 * Concurrent placements of one session share one attempt. Moving sessions off dead workers: WorkerFailover.
 */
@Injectable()
export class StreamPlacement {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly cameras: CameraRepository,
    private readonly holders: SessionHolders,
    private readonly workers: WorkerDirectory,
    private readonly worker: WorkerSessionClient,
    private readonly requests: StreamEnsureRequests,
    private readonly continuity: StreamContinuity,
  ) {}

  /** A playlist of the session was served to a viewer: remember its newest segment (where a new worker goes on). */
  served(cameraId: string, profile: string, position: TimelinePosition, now = Date.now()): void {
    this.continuity.record(streamKeyId({ cameraId, profile }), position, now);
  }

  /**
   * The worker to deliver a session from (a stale heartbeat does not matter; one found dead holds nothing).
   * Records the delivery. No I/O: every segment request calls it.
   */
  holderFor(cameraId: string, profile: StreamProfile, now = Date.now()): WorkerHeartbeatMessage | undefined {
    return this.holders.deliverFrom({ cameraId, profile }, now);
  }

  /** A request to the worker failed at the connection: mark it dead (its sessions move at once). */
  workerFailed(workerId: string, reason: string): void {
    this.workers.markDead(workerId, reason);
  }

  /** Makes sure a worker runs the session and returns its id. Concurrent callers share one placement. */
  ensureSession(cameraId: string, profile: StreamProfile, known?: CameraRecord): Promise<string> {
    const key: StreamKey = { cameraId, profile };
    const id = streamKeyId(key);
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = this.place(key, known).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    return pending;
  }

  private async place(key: StreamKey, known?: CameraRecord): Promise<string> {
    const camera = known ?? (await this.cameras.findById(key.cameraId));
    if (!camera) throw notFound('camera');
    const tried = new Set<string>();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let target: WorkerHeartbeatMessage | undefined;
      // 1. The worker already running it (just placed by us, or listed in its last heartbeat), if it is not dead.
      const holder = this.holders.holderOf(key, tried);
      if (holder) {
        tried.add(holder.workerId);
        if (this.workers.isLive(holder.workerId) && this.worker.busConnected) target = holder;
        else {
          // Heartbeats say nothing now (the broker is out, or the worker's link to it): ask the worker itself.
          const found = await this.worker.serves(holder, key);
          if (found === 'serving') return this.held(key, holder.workerId);
          if (found === 'down') this.workers.markDead(holder.workerId, 'probe refused');
        }
      }
      // 2. Else a new placement, where fresh heartbeats say.
      target ??= this.workers.choose(key.cameraId, key.profile, tried);
      if (!target) break;
      if (!this.worker.busConnected) throw busDown();
      tried.add(target.workerId);
      const outcome = await this.worker.ensure(target, this.requests.of(camera, key.profile));
      if (outcome.kind === 'down') continue;
      const reply = outcome.reply;
      if ('error' in reply) throw new TiergateError(TiergateError.isErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL', reply.error.message);
      if (!reply.ok) throw new TiergateError(TiergateError.isErrorCode(reply.code) ? reply.code : 'INTERNAL', reply.message ?? 'stream failed to start');
      return this.held(key, target.workerId);
    }
    if (!this.worker.busConnected) throw busDown();
    throw new TiergateError('NO_WORKER_AVAILABLE', 'no transcoder worker is available');
  }

  private held(key: StreamKey, workerId: string): string {
    const previous = this.holders.lastDeliveredFrom(key);
    if (previous && previous !== workerId) failovers.inc();
    this.holders.placed(key, workerId);
    this.continuity.prune(Date.now());
    return workerId;
  }
}
