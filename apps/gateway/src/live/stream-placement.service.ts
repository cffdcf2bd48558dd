import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { LOCAL_HLS_SERVER, type LocalHlsServer, streamKeyId, type StreamKey, type StreamProfile, type StreamReadiness, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { notFound, TiergateError } from '@tiergate/domain';
import { CameraRecord, CameraRepository } from '@tiergate/persistence';
import { SessionHolders } from './session-holders';
import { StreamContinuity, type TimelinePosition } from './stream-continuity';
import { StreamEnsureRequests } from './stream-ensure.request';
import { answerFromHolder, satisfies } from './stream-readiness';
import { WorkerDirectory } from './worker.directory';
import type { FailureVerdict } from './worker-liveness';
import { WorkerSessionClient } from './worker-session.client';

const failovers = new Counter({ name: 'tiergate_stream_failovers_total', help: 'Sessions re-placed on another worker', registers: [register] });
const placements = new Counter({
  name: 'tiergate_stream_placements_total',
  help: 'Sessions made sure of for POST /live: held (answered from the known holder, ensure sent in the background) or waited (a StreamEnsure round trip)',
  labelNames: ['path'],
  registers: [register],
});

/** Where a placement ended, and what the session had there. */
interface Placement {
  workerId: string;
  readyAt: StreamReadiness;
}

/** Workers tried for one placement before giving up (each dead one is skipped at once). */
const MAX_ATTEMPTS = 3;

const busDown = () => new TiergateError('SERVICE_UNAVAILABLE', 'the message bus is unreachable: streams already playing keep playing, new ones cannot start now');

/**
 * Which worker runs each session this gateway delivers (docs/live-failover.md).
 * - New sessions go where fresh heartbeats say (the worker already running it, else the least loaded).
 * - Delivery of a running session never waits on heartbeats: its holder (SessionHolders: the heartbeats,
 *   bridged by this gateway's own just-placed answers) is used while it answers HTTP, also through a broker outage.
 * - A holder whose heartbeat is stale or the bus down is asked over HTTP whether it serves, and kept if it does.
 * - A session its live holder is known to have far enough (a `ready` heartbeat, or this gateway's own answer) is
 *   answered without the StreamEnsure round trip: at once from this process's worker, after one HTTP probe from
 *   another; the StreamEnsure goes in the background (answerFromHolder in stream-readiness.ts).
 * Concurrent placements of one session share one attempt (a caller who needs more than it gave, the first
 * segment after a `fragment` placement, asks again when it ends). Moving sessions off dead workers: WorkerFailover.
 */
@Injectable()
export class StreamPlacement {
  private readonly inFlight = new Map<string, Promise<Placement>>();

  constructor(
    private readonly cameras: CameraRepository,
    private readonly holders: SessionHolders,
    private readonly workers: WorkerDirectory,
    private readonly worker: WorkerSessionClient,
    private readonly requests: StreamEnsureRequests,
    private readonly continuity: StreamContinuity,
    @Optional() @Inject(LOCAL_HLS_SERVER) private readonly local?: LocalHlsServer,
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

  /**
   * A request to the worker failed at the connection with `code`: dead (marked, its sessions move at once) or,
   * for a busy worker that only answered late, slow (nothing moves). WorkerDirectory.reportFailure.
   */
  workerFailed(workerId: string, reason: string, code?: string): FailureVerdict {
    return this.workers.reportFailure(workerId, code, reason);
  }

  /**
   * Makes sure a worker runs the session and has what `readyAt` needs (the first segment by default, or a
   * keyframe fragment for an MSE viewer), and returns its id. Concurrent callers share one placement.
   */
  async ensureSession(cameraId: string, profile: StreamProfile, known?: CameraRecord, readyAt: StreamReadiness = 'segment'): Promise<string> {
    const key: StreamKey = { cameraId, profile };
    const id = streamKeyId(key);
    const held = await this.fromHolder(key, readyAt, known);
    if (held) return held;
    const shared = this.inFlight.get(id);
    if (shared) {
      const placed = await shared;
      if (satisfies(placed.readyAt, readyAt)) return placed.workerId;
    }
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = this.place(key, readyAt, known).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    return (await pending).workerId;
  }

  /**
   * The holder, when it is live and known to have what the caller needs: no StreamEnsure round trip (a remote
   * worker is probed over HTTP first; one that does not answer is marked dead), the StreamEnsure goes in the
   * background (it touches the session). Undefined: the caller waits for a placement.
   */
  private async fromHolder(key: StreamKey, readyAt: StreamReadiness, camera: CameraRecord | undefined): Promise<string | undefined> {
    if (!camera) return undefined;
    const holder = this.holders.holderOf(key);
    const local = !!holder && this.local?.workerId === holder.workerId && this.local.holds(key.cameraId, key.profile);
    const view = holder && { live: this.workers.isLive(holder.workerId), busConnected: this.worker.busConnected, readiness: this.holders.readinessOf(key, holder.workerId), local };
    const decision = answerFromHolder(view, readyAt);
    if (!holder || decision === 'wait') return undefined;
    if (decision === 'probe') {
      const code = await this.worker.unreachableBecause(holder);
      if (code !== undefined) {
        // dead: its sessions move; busy: the caller waits for the placement (a StreamEnsure to the same worker)
        this.workers.reportFailure(holder.workerId, code, `${code} on a probe before a live answer`);
        return undefined;
      }
    }
    this.worker.ensureInBackground(holder, this.requests.of(camera, key.profile, Date.now(), readyAt));
    placements.inc({ path: 'held' });
    this.holders.deliverFrom(key);
    return holder.workerId;
  }

  private async place(key: StreamKey, readyAt: StreamReadiness, known?: CameraRecord): Promise<Placement> {
    const camera = known ?? (await this.cameras.findById(key.cameraId));
    if (!camera) throw notFound('camera');
    placements.inc({ path: 'waited' });
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
          if (found === 'serving') return this.held(key, holder.workerId, 'segment'); // it serves the playlist
          if (found === 'down') this.workers.markDead(holder.workerId, 'probe refused');
        }
      }
      // 2. Else a new placement, where fresh heartbeats say.
      target ??= this.workers.choose(key.cameraId, key.profile, tried);
      if (!target) break;
      if (!this.worker.busConnected) throw busDown();
      tried.add(target.workerId);
      const outcome = await this.worker.ensure(target, this.requests.of(camera, key.profile, Date.now(), readyAt));
      if (outcome.kind === 'down') continue;
      const reply = outcome.reply;
      if ('error' in reply) throw new TiergateError(TiergateError.isErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL', reply.error.message);
      if (!reply.ok) throw new TiergateError(TiergateError.isErrorCode(reply.code) ? reply.code : 'INTERNAL', reply.message ?? 'stream failed to start');
      return this.held(key, target.workerId, reply.readyAt ?? 'segment'); // a worker that does not say answered at the segment
    }
    if (!this.worker.busConnected) throw busDown();
    throw new TiergateError('NO_WORKER_AVAILABLE', 'no transcoder worker is available');
  }

  private held(key: StreamKey, workerId: string, readyAt: StreamReadiness): Placement {
    const previous = this.holders.lastDeliveredFrom(key);
    if (previous && previous !== workerId) failovers.inc();
    this.holders.placed(key, workerId, Date.now(), readyAt);
    this.continuity.prune(Date.now());
    return { workerId, readyAt };
  }
}
