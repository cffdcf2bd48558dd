import type { CameraNotification, PullPointSubscription, PullResult } from '@tiergate/onvif';

/** What one camera's loop needs from the ONVIF events client (libs/onvif `PullPointClient`; a fake in the spec). */
export interface EventsClient {
  readClock(signal?: AbortSignal): Promise<void>;
  eventsAddress(signal?: AbortSignal): Promise<URL | undefined>;
  createPullPoint(events: URL, terminationMs: number, signal?: AbortSignal): Promise<PullPointSubscription>;
  pull(sub: PullPointSubscription, waitMs: number, messageLimit: number, signal?: AbortSignal): Promise<PullResult>;
  renew(sub: PullPointSubscription, terminationMs: number, signal?: AbortSignal): Promise<{ lifetimeMs?: number }>;
  unsubscribe(sub: PullPointSubscription, signal?: AbortSignal): Promise<void>;
}

export interface LoopTiming {
  /** PullMessages wait. */
  pullWaitMs: number;
  /** Termination time asked for; renewed when half of what the camera granted is left. */
  subscriptionMs: number;
  /** After a failure: this, doubling up to `retryMaxMs` (reset by the first pull that works). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A camera without an events service is asked again after this. */
  noEventsRecheckMs: number;
}

export const MESSAGE_LIMIT = 32;

export type LoopState = 'starting' | 'subscribed' | 'no-events' | 'retrying' | 'stopped';

export interface LoopHooks {
  /** A motion or tamper change (`Initialized` ones are the state at subscription time and are not passed on). */
  onEvent(n: CameraNotification): void | Promise<void>;
  onState?(state: LoopState, detail?: string): void;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

/** Pure: the wait after the n-th failure in a row (n ≥ 1). */
export const retryDelay = (failures: number, t: Pick<LoopTiming, 'retryBaseMs' | 'retryMaxMs'>): number =>
  Math.min(t.retryMaxMs, t.retryBaseMs * 2 ** Math.min(20, Math.max(0, failures - 1)));

/** An abort reason that stops the loop without the Unsubscribe goodbye (a quarantined device is not contacted at all). */
export const WITHOUT_GOODBYE = 'without-goodbye';

/**
 * One camera's PullPoint subscription, kept up until `signal` aborts: events address, subscribe, pull (long
 * poll) in a loop, renew at half the granted lifetime, and on any failure (camera down, subscription lost,
 * a hostile answer: the client throws a TiergateError for all of them) unsubscribe if it can, wait with backoff
 * and subscribe again. Never throws; a failing hook is the caller's to log (it does not end the loop).
 */
export async function runEventsLoop(client: EventsClient, timing: LoopTiming, hooks: LoopHooks, signal: AbortSignal): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    let sub: PullPointSubscription | undefined;
    try {
      hooks.onState?.('starting');
      await client.readClock(signal);
      const events = await client.eventsAddress(signal);
      if (!events) {
        hooks.onState?.('no-events');
        failures = 0;
        await hooks.sleep(timing.noEventsRecheckMs, signal);
        continue;
      }
      sub = await client.createPullPoint(events, timing.subscriptionMs, signal);
      let renewAt = hooks.now() + (sub.lifetimeMs ?? timing.subscriptionMs) / 2;
      hooks.onState?.('subscribed');
      while (!signal.aborted) {
        if (hooks.now() >= renewAt) {
          const renewed = await client.renew(sub, timing.subscriptionMs, signal);
          renewAt = hooks.now() + (renewed.lifetimeMs ?? timing.subscriptionMs) / 2;
        }
        // never wait past the renewal point (a camera that grants 10 s must not expire under a 20 s wait)
        const wait = Math.max(1000, Math.min(timing.pullWaitMs, renewAt - hooks.now()));
        const result = await client.pull(sub, wait, MESSAGE_LIMIT, signal);
        failures = 0;
        for (const n of result.notifications) {
          if (n.operation === 'Initialized') continue;
          try {
            await hooks.onEvent(n);
          } catch {
            // the hook logs its own failures; one lost publish must not drop the subscription
          }
        }
      }
    } catch (e) {
      if (signal.aborted) break;
      failures += 1;
      const wait = retryDelay(failures, timing);
      hooks.onState?.('retrying', `${(e as Error).message}; again in ${Math.round(wait / 1000)} s`);
      if (sub) await client.unsubscribe(sub).catch(() => undefined);
      sub = undefined;
      await hooks.sleep(wait, signal);
    } finally {
      if (sub && signal.aborted && signal.reason !== WITHOUT_GOODBYE) {
        // stopping: say goodbye to the camera, briefly (a fresh signal: the loop's one is aborted)
        await client.unsubscribe(sub, AbortSignal.timeout(2000)).catch(() => undefined);
      }
    }
  }
  hooks.onState?.('stopped');
}
