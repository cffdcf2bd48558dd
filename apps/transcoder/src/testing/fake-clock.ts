import type { Clock, TimerHandle } from '../clock';

/** Manual clock for unit tests: timers fire only inside advance(), in due order. */
export class FakeClock implements Clock {
  private current = 1_700_000_000_000;
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** The process was stopped for ms: time jumps and nothing runs; overdue timers fire at the next advance(). */
  freeze(ms: number): void {
    this.current += ms;
  }

  /** Moves time forward by ms, firing due timers and letting promise chains settle after each one. */
  async advance(ms: number, step = 50): Promise<void> {
    const end = this.current + ms;
    while (this.current < end) {
      this.current = Math.min(end, this.current + step);
      await this.fireDue();
    }
    await this.fireDue();
  }

  private async fireDue(): Promise<void> {
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => !t.cancelled && t.at <= this.current).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) return;
      due.cancelled = true;
      this.timers = this.timers.filter((t) => !t.cancelled);
      due.fn();
    }
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
