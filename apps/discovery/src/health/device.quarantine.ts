import type { DeviceFault } from '@tiergate/onvif';
import { delayAfter } from './onboarding.backoff';

/**
 * Pure: cameras whose device misbehaved (an answer over our size cap, or one dripped slower than our
 * deadline: libs/onvif device-io closed the socket). Such a device is hostile or broken; checking it at every
 * health round would only feed it sockets. It is held (not contacted) for `baseMs`, doubling on each repeat up
 * to `maxMs`; new credentials or address (`release`) earn a check at once. Held in memory: after a restart
 * the first round checks it once more (bounded by the same caps) and holds it again.
 */
export class DeviceQuarantine {
  private readonly held = new Map<string, { count: number; until: number; reason: string }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  /** Holds a camera after a hostile answer (`failure` says what it did); returns until when, and the status reason. */
  hold(cameraId: string, now: number, failure: string, fault: DeviceFault): { until: number; reason: string } {
    const count = (this.held.get(cameraId)?.count ?? 0) + 1;
    const until = now + delayAfter(count, this.baseMs, this.maxMs);
    const reason = quarantineReason(failure, fault, until, now);
    this.held.set(cameraId, { count, until, reason });
    return { until, reason };
  }

  /** The hold of a camera not to be contacted now, if any (an expired hold is kept: a repeat doubles it). */
  holding(cameraId: string, now: number): { reason: string; until: number } | undefined {
    const h = this.held.get(cameraId);
    return h && now < h.until ? { reason: h.reason, until: h.until } : undefined;
  }

  /** The device answered properly again, or the camera was changed or deleted. */
  release(cameraId: string): void {
    this.held.delete(cameraId);
  }
}

const FAULT_WORDS: Readonly<Record<DeviceFault, string>> = {
  'too-large': 'it sent more than any camera answer needs',
  'too-slow': 'it sent its answer too slowly',
};

/** Pure: the status reason of a quarantined camera: what it did, and when it is contacted again. */
export function quarantineReason(failure: string, fault: DeviceFault, until: number, now: number): string {
  const mins = Math.max(1, Math.ceil((until - now) / 60_000));
  return `${failure.trim().replace(/[.\s]+$/, '')}; quarantined as a hostile or broken device (${FAULT_WORDS[fault]}): not contacted again for ${mins} min`.slice(0, 500);
}
