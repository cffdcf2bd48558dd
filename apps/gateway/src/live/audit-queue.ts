/**
 * Audit entries written after the answer, in order, one at a time, each retried until written: the live
 * answer does not wait for an INSERT (on the embedded database it queues behind every other query of the
 * process: 1-110 ms measured under a 4-tile page load), yet no entry is dropped without a trace.
 * - A failed write is logged (warn) and retried after RETRY_DELAYS_MS (~30 s in all); the entries behind it wait,
 *   so the log keeps its order. One that still fails is logged in full (error), with nothing secret in it, and
 *   the queue goes on.
 * - `drain()` waits until everything queued is written (shutdown, tests).
 * - The window in which an entry can be lost is a hard crash between the answer and the write (a few ms
 *   normally; a database outage makes it longer, and then the POST itself fails at the camera read).
 * Framework-free: the writer, the log and the sleep are given.
 */
export const RETRY_DELAYS_MS: readonly number[] = [100, 500, 2000, 5000, 10_000, 10_000];
/** Entries waiting beyond this mean the database has been gone for a long time: new ones are logged, not kept. */
export const MAX_QUEUED = 10_000;

export interface AuditQueueOptions<T> {
  write(entry: T): Promise<void>;
  log(level: 'warn' | 'error', message: string): void;
  /** How an entry appears in the log (never a secret). */
  describe(entry: T): string;
  sleep?: (ms: number) => Promise<void>;
  retryDelaysMs?: readonly number[];
  maxQueued?: number;
}

export class AuditQueue<T> {
  private readonly queue: T[] = [];
  private running: Promise<void> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly delays: readonly number[];
  private readonly maxQueued: number;

  constructor(private readonly options: AuditQueueOptions<T>) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms).unref?.()));
    this.delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.maxQueued = options.maxQueued ?? MAX_QUEUED;
  }

  /** Entries not written yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues an entry; returns at once. */
  add(entry: T): void {
    if (this.queue.length >= this.maxQueued) {
      this.options.log('error', `audit entry not kept (${this.queue.length} waiting for the database): ${this.options.describe(entry)}`);
      return;
    }
    this.queue.push(entry);
    this.running ??= this.run().finally(() => (this.running = undefined));
  }

  /** Resolves once every entry queued so far is written (or given up and logged). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    for (let entry = this.queue[0]; entry !== undefined; entry = this.queue[0]) {
      await this.writeOne(entry);
      this.queue.shift();
    }
  }

  private async writeOne(entry: T): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.write(entry);
        return;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (attempt >= this.delays.length) {
          this.options.log('error', `audit entry NOT written after ${attempt + 1} attempts (${reason}): ${this.options.describe(entry)}`);
          return;
        }
        this.options.log('warn', `audit write failed (${reason}); retry ${attempt + 1} of ${this.delays.length} in ${this.delays[attempt]} ms`);
        await this.sleep(this.delays[attempt]!);
      }
    }
  }
}
