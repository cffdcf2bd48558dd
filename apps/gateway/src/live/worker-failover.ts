import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { streamKeyId, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { forEachBounded } from '@tiergate/domain';
import { SessionHolders } from './session-holders';
import { StreamPlacement } from './stream-placement.service';
import { WorkerDirectory } from './worker.directory';
import { WorkerLink } from './worker-link';

/**
 * Moves of one dead worker's sessions that start at once. The rest wait for a free lane; a viewer who asks for
 * a waiting one meanwhile places it himself at once (StreamPlacement shares the placement), so the bound only
 * keeps a worker's unwatched sessions from landing on the next one as one burst of ffmpeg starts.
 */
export const MOVES_AT_ONCE = 8;

/**
 * Moving sessions off a worker that died (docs/live-failover.md): the sessions this gateway delivered from it
 * in the last `transcoder.idleCloseMs` are placed again at once, in the background. A withdrawn heartbeat is
 * checked over HTTP first: refused means dead; an answer keeps the worker delivering.
 */
@Injectable()
export class WorkerFailover implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WorkerFailover');
  private stopListening = () => {};
  private stopWatchingLeaves = () => {};

  constructor(
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly workers: WorkerDirectory,
    private readonly holders: SessionHolders,
    private readonly placement: StreamPlacement,
    private readonly link: WorkerLink,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.workers.onDeath((id) => this.moveSessionsOf(id));
    this.stopWatchingLeaves = this.workers.onWithdrawn((worker) => void this.checkWithdrawn(worker));
  }

  onModuleDestroy(): void {
    this.stopListening();
    this.stopWatchingLeaves();
  }

  /**
   * A worker's heartbeat was withdrawn (a graceful leave, or its last will, which Mosquitto also publishes for
   * every client when the broker itself shuts down). Heartbeats decide new placements only: whether it still
   * delivers is asked over HTTP. Refused: dead, its sessions move now; answering: it keeps its sessions.
   */
  private async checkWithdrawn(worker: WorkerHeartbeatMessage): Promise<void> {
    if (this.workers.isDead(worker.workerId)) return;
    if (!(await this.link.reachable(worker.baseUrl))) this.workers.markDead(worker.workerId, 'heartbeat withdrawn and no HTTP answer');
  }

  /**
   * Forgets what a dead worker held and places again, in the background, what was watched recently,
   * MOVES_AT_ONCE at a time.
   */
  private moveSessionsOf(workerId: string): void {
    const keys = this.holders.releaseWorker(workerId, Date.now() - this.config.transcoder.idleCloseMs);
    void forEachBounded(keys, MOVES_AT_ONCE, (key) =>
      this.placement.ensureSession(key.cameraId, key.profile).then(
        () => undefined,
        (e) => this.logger.warn(`moving ${streamKeyId(key)} off ${workerId} failed: ${(e as Error).message}`),
      ),
    );
  }
}
