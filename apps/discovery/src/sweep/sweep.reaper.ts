import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SweepsRepository } from '@tiergate/persistence';

/** A running sweep writes its progress every 250 ms (PROGRESS_INTERVAL_MS): this long without a write, its process is gone. */
export const SWEEP_HEARTBEAT_STALE_S = 30;
/** A sweep no discovery process claimed (its gateway stopped before the hand-over) this long after its last write. */
export const SWEEP_QUEUED_STALE_S = 300;
const REAP_EVERY_MS = 30_000;

export const INTERRUPTED_REASON = `interrupted: the discovery process running it stopped (no progress for ${SWEEP_HEARTBEAT_STALE_S} s)`;
export const UNCLAIMED_REASON = 'no discovery process took the sweep';

/**
 * Closes sweeps that can never finish: `running` ones whose owner stopped writing (crashed, killed) and
 * `queued` ones nobody claimed, marking them failed with the reason. Liveness is the row's own heartbeat
 * (`updatedAt`, compared with the database's clock), not the process start time, so with several discovery
 * processes a sweep another live one is running is never touched. Runs at start-up and then every 30 s
 * (a sweep whose owner dies while this process runs is closed too).
 */
@Injectable()
export class SweepReaper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SweepReaper');
  private timer?: NodeJS.Timeout;

  constructor(private readonly sweeps: SweepsRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reap().catch((e) => this.logger.warn(`could not close interrupted sweeps: ${(e as Error).message}`));
    this.timer = setInterval(() => void this.reap().catch(() => undefined), REAP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Marks the abandoned sweeps failed; answers how many. */
  async reap(): Promise<number> {
    let closed = 0;
    for (const [state, staleSeconds, reason] of [
      ['running', SWEEP_HEARTBEAT_STALE_S, INTERRUPTED_REASON],
      ['queued', SWEEP_QUEUED_STALE_S, UNCLAIMED_REASON],
    ] as const) {
      closed += await this.sweeps.failStale(state, staleSeconds, reason);
    }
    if (closed) this.logger.warn(`${closed} sweep(s) left open by a stopped discovery process marked failed`);
    return closed;
  }
}
