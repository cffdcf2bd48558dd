/**
 * Pure: when the health monitor may try again to onboard a camera (read its profiles, device information
 * and stream URIs) after an attempt failed. The first attempt is made as soon as the camera answers; after
 * a failure the wait doubles from `baseMs` up to `maxMs`, so a camera that answers checks but fails the
 * probe is never retried hot. New credentials (`forget`) earn a fresh attempt.
 */
export class OnboardingBackoff {
  private readonly failures = new Map<string, { count: number; nextAt: number; reason: string }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  /** Whether an attempt may be made now. */
  due(cameraId: string, now: number): boolean {
    const f = this.failures.get(cameraId);
    return !f || now >= f.nextAt;
  }

  /** Records a failed attempt; returns when the next one may be made. */
  failed(cameraId: string, now: number, reason: string): number {
    const count = (this.failures.get(cameraId)?.count ?? 0) + 1;
    const nextAt = now + delayAfter(count, this.baseMs, this.maxMs);
    this.failures.set(cameraId, { count, nextAt, reason });
    return nextAt;
  }

  /** The last failure of a camera still waiting to be retried. */
  lastFailure(cameraId: string): { reason: string; nextAt: number } | undefined {
    const f = this.failures.get(cameraId);
    return f && { reason: f.reason, nextAt: f.nextAt };
  }

  /** Onboarded, deleted, or given new credentials: start again from no failures. */
  forget(cameraId: string): void {
    this.failures.delete(cameraId);
  }
}

/** Pure: the wait after the n-th failure in a row (n ≥ 1): base, 2·base, 4·base, … capped at max. */
export function delayAfter(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

/** Pure: the status reason of a camera that answers but whose profiles could not be read yet. */
export function onboardingPendingNote(failure: string, nextAt: number, now: number): string {
  const wait = Math.max(0, Math.ceil((nextAt - now) / 1000));
  return `the camera answers, but its profiles could not be read yet (${failure.replace(/[.\s]+$/, '')}); next attempt in ${wait} s`.slice(0, 500);
}
