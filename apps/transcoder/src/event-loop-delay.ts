import { performance } from 'node:perf_hooks';

/** How often the sampler's timer is due. */
const SAMPLE_EVERY_MS = 100;

/**
 * The worker's own event-loop delay, read once per heartbeat: the longest delay since the previous read, in ms
 * (how much later than due a 100 ms timer ran). A gateway uses it to tell a busy worker (late answers, heartbeats
 * still coming) from a hung one (docs/live-failover.md). Node's monitorEventLoopDelay was tried first and missed
 * a 300 ms block entirely (2 samples of ~20 ms), so this is a plain timer. No I/O.
 */
export class EventLoopDelay {
  private last = performance.now();
  private longest: number | undefined;
  private readonly timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS).unref();

  private sample(): void {
    const now = performance.now();
    this.longest = Math.max(this.longest ?? 0, now - this.last - SAMPLE_EVERY_MS);
    this.last = now;
  }

  /** The longest delay since the last call, in whole ms; undefined before the first sample. */
  takeLongestMs(): number | undefined {
    const longest = this.longest === undefined ? undefined : Math.max(0, Math.round(this.longest));
    this.longest = undefined;
    return longest;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
