import { setMaxListeners } from 'node:events';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { CameraStatusMessage, CamerasChangedMessage, StreamStateMessage, Topics } from '@tiergate/contracts';
import { CameraStatus, forEachBounded, inPlainWords, isUuid, pendingOnboardingReason, redactUrl } from '@tiergate/domain';
import { MqttBus } from '@tiergate/messaging';
import type { CameraCheck, DeviceFault, ProbedCamera } from '@tiergate/onvif';
import { CameraRepository } from '@tiergate/persistence';
import { CameraChecker, CheckTarget } from './camera.checker';
import { CameraOnboarder } from './camera.onboarder';
import { DeviceQuarantine } from './device.quarantine';
import { OnboardingBackoff, onboardingPendingNote } from './onboarding.backoff';
import { StreamSightings } from './stream-sightings';

/** After a failed onboarding attempt: wait 15 s, then 30 s, 1 min, … up to 30 min (never hot). */
const ONBOARDING_RETRY_BASE_MS = 15_000;
const ONBOARDING_RETRY_MAX_MS = 30 * 60_000;
/** A device that answered too much or too slowly is not contacted for 10 min, then 20, 40, … up to 6 h. */
const QUARANTINE_BASE_MS = 10 * 60_000;
const QUARANTINE_MAX_MS = 6 * 60 * 60_000;

/**
 * The owner of camera status after a camera is added. Checks every camera once per
 * `health.intervalSeconds`, spread evenly over the period with at most `health.concurrency` checks at
 * once, and writes status, statusReason, lastSeenAt and statusCheckedAt. Every status CHANGE is published
 * retained on Topics.cameraStatus(id). Newly created, imported and changed cameras are checked at once
 * (imports do not probe devices). Checks of one camera never overlap.
 *
 * - Onboarding: an ONVIF camera saved without its profiles (pre-registered while down or with refused
 *   credentials, or imported) is onboarded by the first check that finds it answering: profiles, device
 *   information, stream and snapshot URIs. A failed attempt is retried with backoff, never hot.
 * - Streams count as seen: a camera whose live stream plays (a fresh `ready` stream state, or a fresh worker
 *   heartbeat listing it ready) is not recorded offline, and a stream becoming ready marks an offline camera
 *   online at once. These writes go through the same per-camera queue as checks: one writer of the status.
 * - Quarantine: a device whose answer to a check or onboarding was too large or too slow (libs/onvif
 *   device-io closed the socket) is recorded offline with a reason saying so and not contacted again for a
 *   while (doubling), instead of every round; new credentials or address end the quarantine.
 */
@Injectable()
export class HealthMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HealthMonitor');
  private readonly abort = withListenerRoom(new AbortController());
  private readonly perCamera = new Map<string, Promise<unknown>>();
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private unsubscribeStreams: (() => Promise<void>) | undefined;
  private unsubscribeHeartbeats: (() => Promise<void>) | undefined;
  private readonly sightings: StreamSightings;
  private readonly backoff = new OnboardingBackoff(ONBOARDING_RETRY_BASE_MS, ONBOARDING_RETRY_MAX_MS);
  private readonly quarantine = new DeviceQuarantine(QUARANTINE_BASE_MS, QUARANTINE_MAX_MS);
  /** When a failing stream last triggered a check of its camera (at most one such check per 10 s). */
  private readonly failureChecks = new Map<string, number>();

  constructor(
    private readonly cameras: CameraRepository,
    private readonly checker: CameraChecker,
    private readonly onboarder: CameraOnboarder,
    private readonly bus: MqttBus,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {
    this.sightings = new StreamSightings(config.transcoder.workerStaleMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.camerasChanged, (_t, payload) => {
      const m = payload as CamerasChangedMessage;
      // New cameras not checked yet (imports and RTSP URLs are not probed when added) and changed ones
      // (new credentials) get a check at once.
      if ((m?.change === 'created' || m?.change === 'imported' || m?.change === 'updated') && Array.isArray(m.cameraIds)) {
        const ids = m.cameraIds.filter((id) => typeof id === 'string');
        // A camera just created has no status on the bus yet: announce the one it was saved with (the
        // gateway's pre-check) before its first check runs. This monitor is the one publisher of camera status.
        if (m.change === 'created') for (const id of ids.filter(isUuid)) void this.announce(id).catch(() => undefined);
        // New credentials earn a fresh onboarding attempt.
        if (m.change === 'updated')
          for (const id of ids) {
            this.backoff.forget(id);
            this.quarantine.release(id);
          }
        void this.checkIds(ids, m.change !== 'updated').catch(() => undefined);
      }
    });
    // A live stream that keeps failing (a transcoder's `failed` state) gets its camera checked now, so the
    // camera's status says why (offline, unauthorized) without waiting for the next round.
    this.unsubscribeStreams = await this.bus.subscribe(Topics.streamStateAll, (topic, payload) => {
      const [, , , cameraId, profile] = topic.split('/');
      if (!isUuid(cameraId)) return;
      if (this.sightings.streamState(cameraId, profile, payload, Date.now())) {
        void this.streamSeen(cameraId).catch((e) => this.logger.warn(`stream sighting of ${cameraId} not recorded: ${redactUrl((e as Error).message)}`));
        return;
      }
      if ((payload as StreamStateMessage | null)?.state !== 'failed') return;
      const last = this.failureChecks.get(cameraId) ?? 0;
      if (Date.now() - last < 10_000) return;
      this.failureChecks.set(cameraId, Date.now());
      void this.checkNow(cameraId).catch(() => undefined);
    });
    this.unsubscribeHeartbeats = await this.bus.subscribe(Topics.workerHeartbeatAll, (topic, payload) => this.sightings.heartbeat(topic.split('/')[3], payload));
    this.loop = this.run().catch((e) => this.logger.error(`health loop stopped: ${(e as Error).message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.unsubscribe?.().catch(() => undefined);
    await this.unsubscribeStreams?.().catch(() => undefined);
    await this.unsubscribeHeartbeats?.().catch(() => undefined);
    await this.loop;
    await Promise.allSettled([...this.perCamera.values()]);
  }

  /** Checks one camera, or every camera (bounded concurrency, no spreading), now; resolves with the results. */
  async checkNow(cameraId?: string): Promise<Map<string, CameraCheck>> {
    if (cameraId !== undefined && !isUuid(cameraId)) return new Map();
    const rows: CheckTarget[] = await this.cameras.checkTargets(cameraId ? { ids: [cameraId] } : 'all');
    const results = new Map<string, CameraCheck>();
    await forEachBounded(rows, this.config.health.concurrency, async (row) => {
      results.set(row.id, await this.checkOne(row));
    });
    return results;
  }

  private async checkIds(ids: readonly string[], uncheckedOnly: boolean): Promise<void> {
    const rows: CheckTarget[] = await this.cameras.checkTargets({ ids: ids.filter(isUuid), uncheckedOnly });
    await forEachBounded(rows, this.config.health.concurrency, async (row) => void (await this.checkOne(row).catch(() => undefined)), this.abort.signal);
  }

  private async run(): Promise<void> {
    const period = this.config.health.intervalSeconds * 1000;
    while (!this.abort.signal.aborted) {
      const start = Date.now();
      try {
        const rows: CheckTarget[] = await this.cameras.checkTargets('all');
        const gap = period / Math.max(1, rows.length);
        await forEachBounded(
          rows.map((row, i) => ({ row, at: start + i * gap })),
          this.config.health.concurrency,
          async ({ row, at }) => {
            await this.sleep(at - Date.now());
            if (this.abort.signal.aborted) return;
            // One camera's failure (e.g. a row deleted meanwhile) must not end the round.
            await this.checkOne(row).catch((e) => this.logger.warn(`check of ${row.id} failed: ${redactUrl((e as Error).message)}`));
          },
          this.abort.signal,
        );
      } catch (e) {
        if (!this.abort.signal.aborted) this.logger.warn(`health round failed: ${redactUrl((e as Error).message)}`);
      }
      await this.sleep(start + period - Date.now());
    }
  }

  /** One check of one camera, serialised per camera; a check asked for during another runs after it. */
  private checkOne(row: CheckTarget): Promise<CameraCheck> {
    return this.serialised(row.id, () => this.checkAndRecord(row));
  }

  /** Runs `work` after whatever runs for this camera already (checks and stream sightings alike). */
  private serialised<T>(cameraId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.perCamera.get(cameraId) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(work);
    this.perCamera.set(cameraId, next);
    next
      .finally(() => {
        if (this.perCamera.get(cameraId) === next) this.perCamera.delete(cameraId);
      })
      .catch(() => undefined);
    return next;
  }

  private async checkAndRecord(row: CheckTarget): Promise<CameraCheck> {
    // A quarantined device is not contacted: its stored status and reason stand until the hold ends.
    const held = this.quarantine.holding(row.id, Date.now());
    if (held) return { status: 'offline', reason: held.reason };
    const check = await this.checker.check(row);
    const now = new Date();
    let status: CameraStatus = check.status;
    let reason = check.status === 'online' ? null : inPlainWords(redactUrl(check.reason)).slice(0, 500);
    let probed: ProbedCamera | undefined;
    if (check.status !== 'online' && check.deviceFault) {
      status = 'offline';
      reason = this.hold(row.id, reason!, check.deviceFault, now.getTime());
    } else if (check.status === 'online' && row.needsOnboarding) {
      const onboarding = await this.onboard(row);
      if ('probed' in onboarding) probed = onboarding.probed;
      else if (onboarding.deviceFault) {
        status = 'offline';
        reason = this.hold(row.id, onboarding.note, onboarding.deviceFault, now.getTime());
      } else reason = onboarding.note;
    } else if (check.status === 'offline' && this.sightings.playing(row.id, now.getTime())) {
      // The live stream plays: the camera answers, whatever this check ran into.
      status = 'online';
      reason = null;
    } else if (check.status !== 'online' && row.needsOnboarding) {
      reason = pendingOnboardingReason(check.status, reason!);
    }
    if (status === 'online') this.quarantine.release(row.id);
    await this.record(row.id, { status, reason, at: now, probed });
    return status === 'online' ? { status } : { status, reason: reason ?? '' };
  }

  /** Quarantines a device that answered too much or too slowly; returns the status reason that says so. */
  private hold(cameraId: string, failure: string, fault: DeviceFault, now: number): string {
    const { until, reason } = this.quarantine.hold(cameraId, now, failure, fault);
    this.logger.warn(`camera ${cameraId} quarantined until ${new Date(until).toISOString()}: ${failure}`);
    for (const listener of [...this.heldListeners]) {
      try {
        listener(cameraId);
      } catch (e) {
        this.logger.warn(`quarantine listener failed: ${(e as Error).message}`);
      }
    }
    return reason;
  }

  private readonly heldListeners = new Set<(cameraId: string) => void>();

  /**
   * Whether a camera's device is held in quarantine now. The quarantine is this monitor's (one owner), and it binds
   * all of discovery: the event subscriber does not contact a held device either.
   */
  isHeld(cameraId: string): boolean {
    return this.quarantine.holding(cameraId, Date.now()) !== undefined;
  }

  /** Told each time a camera is put in quarantine (the event subscriber closes its connection to it at once). */
  onHeld(listener: (cameraId: string) => void): () => void {
    this.heldListeners.add(listener);
    return () => this.heldListeners.delete(listener);
  }

  /** Reads the profiles of a camera that answers, unless a recent attempt failed (then: why, and when again). */
  private async onboard(row: CheckTarget): Promise<{ probed: ProbedCamera } | { note: string; deviceFault?: DeviceFault }> {
    const last = this.backoff.lastFailure(row.id);
    if (last && !this.backoff.due(row.id, Date.now())) return { note: onboardingPendingNote(last.reason, last.nextAt, Date.now()) };
    const result = await this.onboarder.onboard(row);
    if (result.ok) {
      this.backoff.forget(row.id);
      this.logger.log(`camera ${row.id} onboarded: ${result.probed.profiles.length} profiles`);
      return { probed: result.probed };
    }
    const nextAt = this.backoff.failed(row.id, Date.now(), result.reason);
    if (result.deviceFault) return { note: result.reason, deviceFault: result.deviceFault };
    this.logger.warn(`camera ${row.id} answers but was not onboarded: ${result.reason}`);
    return { note: onboardingPendingNote(result.reason, nextAt, Date.now()) };
  }

  /** Publishes the stored status of a camera (retained), in its per-camera queue so a check's newer status follows it. */
  private announce(cameraId: string): Promise<void> {
    return this.serialised(cameraId, async () => {
      const stored = await this.cameras.statusOf(cameraId);
      if (!stored) return;
      await this.publishStatus(cameraId, { status: stored.status as CameraStatus, reason: stored.statusReason, at: new Date() });
    });
  }

  /** A stream of the camera just became ready: the camera is seen now (online unless it refused credentials). */
  private streamSeen(cameraId: string): Promise<void> {
    return this.serialised(cameraId, async () => {
      const stored = await this.cameras.statusOf(cameraId);
      if (!stored) return;
      // "unauthorized" is a definite answer of the device; a stream that plays on an older session does not undo it.
      const status = stored.status === 'offline' || stored.status === 'unknown' ? 'online' : stored.status;
      await this.record(cameraId, { status: status as CameraStatus, reason: status === 'online' ? null : stored.statusReason, at: new Date(), seenOnly: true });
    });
  }

  /**
   * Writes a status (and, after onboarding, the profiles, device information and snapshot URI) and publishes
   * it when it changed. `seenOnly`: a stream sighting, not a check (statusCheckedAt is left alone).
   */
  private async record(cameraId: string, r: { status: CameraStatus; reason: string | null; at: Date; probed?: ProbedCamera; seenOnly?: boolean }): Promise<void> {
    const old = (await this.cameras.recordStatus(cameraId, r))?.previous;
    if (old !== undefined && old !== r.status) await this.publishStatus(cameraId, r);
  }

  private async publishStatus(cameraId: string, r: { status: CameraStatus; reason: string | null; at: Date }): Promise<void> {
    const message: CameraStatusMessage = { status: r.status, at: r.at.toISOString(), ...(r.reason ? { reason: r.reason } : {}) };
    await this.bus.publish(Topics.cameraStatus(cameraId), message, { retain: true }).catch((e) => this.logger.warn(`status not published: ${(e as Error).message}`));
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.abort.signal.aborted) return Promise.resolve();
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // Removed again when the timer fires: one listener per pending sleep, not one per sleep ever made.
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Every pending check sleeps on the signal; up to `health.concurrency` at once is expected, not a leak. */
function withListenerRoom(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
