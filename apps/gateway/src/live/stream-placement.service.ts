import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Repository } from 'typeorm';
import { Counter, register } from 'prom-client';
import { SecretBox, StreamProfile, StreamTokens } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Commands, StreamEnsureReply, StreamEnsureRequest, WorkerHeartbeatMessage } from '@tiergate/contracts';
import { notFound, TiergateError } from '@tiergate/domain';
import { MqttBus, RpcErrorReply } from '@tiergate/messaging';
import { CameraEntity, InjectRepository } from '@tiergate/persistence';
import { StreamContinuity } from './stream-continuity';
import { streamSourceOf } from './stream-source';
import { WorkerDirectory } from './worker.directory';
import { WorkerLink } from './worker-link';

const failovers = new Counter({ name: 'tiergate_stream_failovers_total', help: 'Sessions re-placed on another worker', registers: [register] });
const deadWorkers = new Counter({ name: 'tiergate_workers_found_dead_total', help: 'Workers found unreachable from a failed request', registers: [register] });

/** Workers tried for one placement before giving up (each dead one is skipped at once). */
const MAX_ATTEMPTS = 3;
/** While waiting for a worker's StreamEnsure reply, ask it over HTTP this often whether it is still there. */
const WATCH_EVERY_MS = 1000;
/** The identity in the tokens this gateway signs for its own probes of workers. */
const PROBE_SUBJECT = 'tiergate-gateway';

type EnsureOutcome = { kind: 'reply'; reply: StreamEnsureReply | RpcErrorReply } | { kind: 'down' };

/**
 * Which worker runs each session this gateway delivers, and moving sessions when a worker dies.
 * - New sessions go where fresh heartbeats say (the worker already running it, else the least loaded).
 * - Delivery of a running session never waits on heartbeats: the holder is used while it answers HTTP,
 *   also through a broker outage.
 * - A worker is found dead from a refused / reset / unconnectable request (a proxied one, or the probe
 *   run while a StreamEnsure reply is awaited); its sessions are forgotten and the ones people watch are
 *   placed again on other workers at once.
 * Concurrent placements of one session share one attempt.
 */
@Injectable()
export class StreamPlacement implements OnModuleDestroy {
  private readonly logger = new Logger('StreamPlacement');
  private readonly holders = new Map<string, string>();
  /** When each session was last delivered through this gateway: failover re-places the watched ones. */
  private readonly lastDelivery = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<string>>();
  /** The newest segment served of each session, for a new worker to continue from after a failover. */
  private readonly continuity: StreamContinuity;
  private readonly stopListening: () => void;
  private readonly stopWatchingLeaves: () => void;

  constructor(
    @InjectRepository(CameraEntity) private readonly cameras: Repository<CameraEntity>,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly secrets: SecretBox,
    private readonly tokens: StreamTokens,
    private readonly workers: WorkerDirectory,
    private readonly link: WorkerLink,
    private readonly bus: MqttBus,
  ) {
    this.continuity = new StreamContinuity(config.transcoder.idleCloseMs);
    this.stopListening = workers.onDeath((id) => this.moveSessionsOf(id));
    this.stopWatchingLeaves = workers.onWithdrawn((worker) => void this.checkWithdrawn(worker));
  }

  onModuleDestroy(): void {
    this.stopListening();
    this.stopWatchingLeaves();
  }

  /** A playlist of the session was served to a viewer: remember its newest segment (where a new worker goes on). */
  served(cameraId: string, profile: string, position: { mediaSequence: number; discontinuitySequence: number }, now = Date.now()): void {
    this.continuity.record(`${cameraId}/${profile}`, position, now);
  }

  /**
   * A worker's heartbeat was withdrawn (a graceful leave, or its last will, which Mosquitto also publishes for
   * every client when the broker itself shuts down). Heartbeats decide new placements only: whether it still
   * delivers is asked over HTTP. Refused: dead, its sessions move now; answering: it keeps its sessions.
   */
  private async checkWithdrawn(worker: WorkerHeartbeatMessage): Promise<void> {
    if (this.workers.isDead(worker.workerId)) return;
    if (!(await this.link.reachable(worker.baseUrl))) this.workerFailed(worker.workerId, 'heartbeat withdrawn and no HTTP answer');
  }

  /**
   * The worker to deliver a session from, if this gateway placed it there and the worker was not found
   * dead (a stale heartbeat does not matter). Records the delivery. No I/O: every segment request calls it.
   */
  holderFor(cameraId: string, profile: string, now = Date.now()): WorkerHeartbeatMessage | undefined {
    const key = `${cameraId}/${profile}`;
    const id = this.holders.get(key);
    const worker = id ? this.workers.deliverable(id) : undefined;
    if (worker) this.lastDelivery.set(key, now);
    return worker;
  }

  /** A request to the worker failed at the connection: mark it dead (its sessions move at once). */
  workerFailed(workerId: string, reason: string): void {
    if (this.workers.markDead(workerId, reason)) deadWorkers.inc();
  }

  /** Makes sure a worker runs the session and returns its id. Concurrent callers share one placement. */
  ensureSession(cameraId: string, profile: StreamProfile, known?: CameraEntity): Promise<string> {
    const key = `${cameraId}/${profile}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.place(cameraId, profile, known).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Forgets what a dead worker held and places again, in the background, what was watched recently. */
  private moveSessionsOf(workerId: string): void {
    const recent = Date.now() - this.config.transcoder.idleCloseMs;
    for (const [key, holder] of this.holders) {
      if (holder !== workerId) continue;
      this.holders.delete(key);
      if ((this.lastDelivery.get(key) ?? 0) < recent) continue;
      const [cameraId, profile] = key.split('/') as [string, StreamProfile];
      this.ensureSession(cameraId, profile).catch((e) => this.logger.warn(`moving ${key} off ${workerId} failed: ${(e as Error).message}`));
    }
  }

  private async place(cameraId: string, profile: StreamProfile, known?: CameraEntity): Promise<string> {
    const key = `${cameraId}/${profile}`;
    const camera = known ?? (await this.cameras.findOne({ where: { id: cameraId } }));
    if (!camera) throw notFound('camera');
    const previous = this.holders.get(key);
    const tried = new Set<string>();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let target: WorkerHeartbeatMessage | undefined;
      // 1. The worker already running it (placed by us, or listed in its last heartbeat), if it is not dead.
      const ours = previous !== undefined && !tried.has(previous) ? this.workers.deliverable(previous) : undefined;
      const holder = ours ?? this.workers.lastKnownHolder(cameraId, profile, tried);
      if (holder) {
        tried.add(holder.workerId);
        if (this.workers.isLive(holder.workerId) && this.bus.connected) target = holder;
        else {
          // Heartbeats say nothing now (the broker is out, or the worker's link to it): ask the worker itself.
          const found = await this.link.playlist(holder.baseUrl, { cameraId, profile }, this.tokens.issue(PROBE_SUBJECT, cameraId, profile).token);
          if (found === 'serving') return this.held(key, holder.workerId, previous);
          if (found === 'down') this.workerFailed(holder.workerId, 'probe refused');
        }
      }
      // 2. Else a new placement, where fresh heartbeats say.
      target ??= this.workers.choose(cameraId, profile, tried);
      if (!target) break;
      if (!this.bus.connected) throw new TiergateError('SERVICE_UNAVAILABLE', 'the message bus is unreachable: streams already playing keep playing, new ones cannot start now');
      tried.add(target.workerId);
      const outcome = await this.ensureOn(target, this.ensureRequestOf(camera, profile));
      if (outcome.kind === 'down') continue;
      const reply = outcome.reply;
      if ('error' in reply) throw new TiergateError(TiergateError.isErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL', reply.error.message);
      if (!reply.ok) throw new TiergateError(TiergateError.isErrorCode(reply.code) ? reply.code : 'INTERNAL', reply.message ?? 'stream failed to start');
      return this.held(key, target.workerId, previous);
    }
    if (!this.bus.connected) throw new TiergateError('SERVICE_UNAVAILABLE', 'the message bus is unreachable: streams already playing keep playing, new ones cannot start now');
    throw new TiergateError('NO_WORKER_AVAILABLE', 'no transcoder worker is available');
  }

  private ensureRequestOf(camera: CameraEntity, profile: StreamProfile): StreamEnsureRequest {
    const cameraId = camera.id;
    const source = streamSourceOf(camera, profile, camera.passwordSealed ? this.secrets.open(camera.passwordSealed) : null);
    // A session this gateway served recently (its worker died): the new worker continues its timeline.
    const continueFrom = this.continuity.lastServed(`${cameraId}/${profile}`, Date.now());
    // The URL carries the camera's credentials: it crosses the bus sealed, only the worker opens it.
    return { cameraId, profile, sourceSealed: this.bus.sealSecret(source.url), transcode: source.transcode, ...(continueFrom ? { continueFrom } : {}) };
  }

  private held(key: string, workerId: string, previous: string | undefined): string {
    if (previous && previous !== workerId) failovers.inc();
    this.holders.set(key, workerId);
    this.lastDelivery.set(key, Date.now());
    this.continuity.prune(Date.now());
    return workerId;
  }

  /**
   * Sends StreamEnsure to a worker and waits for its reply (bounded by the start timeout), while asking
   * the worker over HTTP whether it is still there: a dead worker ends the wait at once ('down').
   */
  private async ensureOn(worker: WorkerHeartbeatMessage, request: StreamEnsureRequest): Promise<EnsureOutcome> {
    const reply = this.bus.request<StreamEnsureReply | RpcErrorReply>(Commands.streamEnsure(worker.workerId), request, this.config.transcoder.startTimeoutMs + 3000);
    let stop = () => {};
    const down = new Promise<EnsureOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const dead = () => resolve({ kind: 'down' });
      const unlisten = this.workers.onDeath((id) => id === worker.workerId && dead());
      stop = () => {
        stopped = true;
        clearTimeout(timer);
        unlisten();
      };
      const check = async () => {
        if (stopped) return;
        if (!(await this.link.reachable(worker.baseUrl))) {
          if (!stopped) this.workerFailed(worker.workerId, 'refused while starting a stream');
          return dead();
        }
        if (!stopped) timer = setTimeout(() => void check(), WATCH_EVERY_MS);
      };
      void check();
    });
    try {
      return await Promise.race([reply.then((r): EnsureOutcome => ({ kind: 'reply', reply: r })), down]);
    } finally {
      stop();
      reply.catch(() => undefined); // a reply that comes after the worker was found dead is dropped
    }
  }
}
