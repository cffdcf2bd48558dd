/**
 * Durations of the named steps of one request, for a `Server-Timing` header (W3C Server Timing:
 * `scope;dur=0.4, ensure;dur=1.2`), so a browser's DevTools and any client see where a POST /live went.
 * Steps carry no values a client should not see: names and milliseconds only. Pure apart from the clock.
 */
export class StepTimings {
  private readonly steps: { name: string; ms: number }[] = [];
  private last: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.last = now();
  }

  /** Ends the step that ran since the previous mark (or since the start) under `name`. */
  mark(name: string): void {
    const t = this.now();
    this.steps.push({ name, ms: t - this.last });
    this.last = t;
  }

  /** `name;dur=ms` for each step in order, and `total` since the start; ms to 0.1. */
  header(): string {
    const total = this.steps.reduce((sum, s) => sum + s.ms, 0) + (this.now() - this.last);
    return [...this.steps, { name: 'total', ms: total }].map((s) => `${s.name};dur=${s.ms.toFixed(1)}`).join(', ');
  }
}
