/** A named part of stopping, run in the order added ("the app", "the database"…). */
export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

export interface ShutdownPorts {
  exit: (code: number) => void;
  /** One line to the operator (stderr). */
  say: (line: string) => void;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
}

/**
 * The one owner of a process's end. Whatever asks first (SIGTERM, SIGINT, a last-resort crash handler)
 * starts one graceful stop: wait for start-up to settle, then run the steps in order, then exit with the
 * code asked for (0 for a signal). A stop that outlives the deadline exits 1 with a line naming the step
 * still running; a second signal exits 1 at once, naming it too.
 */
export class GracefulShutdown {
  private readonly steps: ShutdownStep[] = [];
  private starting: Promise<unknown> = Promise.resolve();
  private current = 'start-up';
  private reason?: string;
  private exited = false;

  constructor(
    private readonly deadlineMs: number,
    private readonly ports: ShutdownPorts,
  ) {}

  get stopping(): boolean {
    return this.reason !== undefined;
  }

  /** Start-up in progress: a stop asked meanwhile waits for it (it aborts its own retries) before the steps. */
  whileStarting(starting: Promise<unknown>): void {
    this.starting = starting.catch(() => undefined);
  }

  add(step: ShutdownStep): void {
    this.steps.push(step);
  }

  /** Starts the stop (once); later calls only report, and a second signal forces the exit. */
  begin(reason: string, exitCode: number, options: { forceOnRepeat?: boolean } = {}): void {
    if (this.reason !== undefined) {
      if (options.forceOnRepeat) {
        this.ports.say(`${reason} again while stopping (${this.current}): exiting now`);
        this.finish(1);
      }
      return;
    }
    this.reason = reason;
    const timer = (this.ports.setTimer ?? setTimeout)(() => {
      this.ports.say(`shutdown after ${reason} did not finish within ${Math.round(this.deadlineMs / 1000)} s: still stopping ${this.current}; exiting with code 1`);
      this.finish(1);
    }, this.deadlineMs);
    timer.unref?.();
    void this.run(exitCode);
  }

  private async run(exitCode: number): Promise<void> {
    let code = exitCode;
    await this.starting;
    for (const step of this.steps) {
      this.current = step.name;
      try {
        await step.run();
      } catch (e) {
        this.ports.say(`shutdown: stopping ${step.name} failed: ${(e as Error)?.message ?? String(e)}`);
        code = code || 1;
      }
    }
    this.current = 'nothing (done)';
    this.finish(code);
  }

  private finish(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.ports.exit(code);
  }
}
