/** A place among the stream starts a worker runs at once; release() frees it, or withdraws a queued request. */
export interface StartTicket {
  release(): void;
}

/**
 * At most `limit` streams of a worker start at once (an ffmpeg probing its camera, until its first keyframe
 * fragment or segment); the others wait in order. Without it, a burst of starts on a full CPU (a dead worker's
 * sessions moved here, a district's walls opening) slowed every start past its deadline, each then started
 * again, and nothing ever started (bench:district: 1,895 start timeouts in 3 minutes, 1 viewer of 1,344 playing).
 * Pure: no timers, no I/O.
 */
export class StartGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`start limit must be a positive integer, not ${limit}`);
  }

  /** Calls `granted` once a place is free: at once (synchronously) when one is, else in request order. */
  request(granted: () => void): StartTicket {
    let state: 'queued' | 'held' | 'done' = 'queued';
    const grant = () => {
      state = 'held';
      this.running += 1;
      granted();
    };
    if (this.running < this.limit) grant();
    else this.queue.push(grant);
    return {
      release: () => {
        if (state === 'queued') this.queue.splice(this.queue.indexOf(grant), 1);
        else if (state === 'held') {
          this.running -= 1;
          this.admitNext();
        }
        state = 'done';
      },
    };
  }

  /** Starts running now / waiting for a place. */
  get counts(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length };
  }

  private admitNext(): void {
    while (this.running < this.limit && this.queue.length > 0) this.queue.shift()!();
  }
}
