import { TiergateError } from '@tiergate/domain';
import type { CameraNotification, PullPointSubscription, PullResult } from '@tiergate/onvif';
import { EventsClient, LoopState, retryDelay, runEventsLoop } from './camera-events.loop';

const timing = { pullWaitMs: 20_000, subscriptionMs: 60_000, retryBaseMs: 2000, retryMaxMs: 300_000, noEventsRecheckMs: 600_000 };
const motion = (state: boolean, operation: CameraNotification['operation'] = 'Changed'): CameraNotification => ({ kind: 'motion', state, operation, topic: 'tns1:VideoSource/MotionAlarm' });

/** A scripted camera: each pull answers the next entry (a result or an error); the clock moves by each wait. */
function scripted(pulls: (PullResult | Error)[], opts: { lifetimeMs?: number; createFails?: number } = {}) {
  const calls: string[] = [];
  let clock = 0;
  let createFails = opts.createFails ?? 0;
  const sub: PullPointSubscription = { address: new URL('http://cam/onvif/events/pullpoint/1'), lifetimeMs: opts.lifetimeMs };
  const abort = new AbortController();
  const client: EventsClient = {
    readClock: async () => void calls.push('clock'),
    eventsAddress: async () => (calls.push('address'), new URL('http://cam/onvif/events_service')),
    createPullPoint: async () => {
      calls.push('create');
      if (createFails-- > 0) throw new TiergateError('CAMERA_UNREACHABLE', 'camera at cam is unreachable (ECONNREFUSED)');
      return sub;
    },
    pull: async (_s, wait) => {
      calls.push(`pull ${wait}`);
      clock += Math.min(wait, 5000);
      const next = pulls.shift();
      if (next === undefined) {
        abort.abort();
        return { notifications: [], received: 0 };
      }
      if (next instanceof Error) throw next;
      return next;
    },
    renew: async () => (calls.push('renew'), { lifetimeMs: opts.lifetimeMs }),
    unsubscribe: async () => void calls.push('unsubscribe'),
  };
  const events: CameraNotification[] = [];
  const states: LoopState[] = [];
  const sleeps: number[] = [];
  const run = runEventsLoop(
    client,
    timing,
    {
      onEvent: (n) => void events.push(n),
      onState: (s) => void states.push(s),
      sleep: async (ms) => void (sleeps.push(ms), (clock += ms)),
      now: () => clock,
    },
    abort.signal,
  );
  return { run, calls, events, states, sleeps };
}

describe('runEventsLoop', () => {
  it('passes on changes, not the initial states, and renews at half the granted lifetime', async () => {
    const r = { notifications: [], received: 0 };
    const s = scripted([{ notifications: [motion(false, 'Initialized')], received: 2 }, { notifications: [motion(true)], received: 1 }, r, r, r, r, r, { notifications: [motion(false)], received: 1 }], { lifetimeMs: 20_000 });
    await s.run;
    expect(s.events.map((e) => e.state)).toEqual([true, false]);
    // granted 20 s: renewed every 10 s, and no wait past the renewal
    expect(s.calls.filter((c) => c === 'renew').length).toBeGreaterThanOrEqual(3);
    expect(s.calls.filter((c) => c.startsWith('pull')).every((c) => Number(c.split(' ')[1]) <= 10_000)).toBe(true);
    expect(s.calls.filter((c) => c === 'create')).toHaveLength(1);
    expect(s.calls.at(-1)).toBe('unsubscribe'); // goodbye at the stop
    expect(s.states.at(-1)).toBe('stopped');
  });

  it('resubscribes with a doubling backoff after failures, and a working pull resets it', async () => {
    const hostile = new TiergateError('CAMERA_PROTOCOL_ERROR', 'camera at cam sent an answer too large (> 1 MiB)');
    const s = scripted([hostile, { notifications: [motion(true)], received: 1 }, hostile], { createFails: 2 });
    await s.run;
    // two refused creates (2 s, 4 s), the hostile pull (8 s), then a pull that works resets the count (2 s)
    expect(s.sleeps).toEqual([2000, 4000, 8000, 2000]);
    expect(s.events).toHaveLength(1);
    expect(s.states).toContain('retrying');
    expect(s.calls.filter((c) => c === 'unsubscribe').length).toBeGreaterThanOrEqual(2); // each lost subscription let go
  });

  it('backoff is capped', () => {
    expect(retryDelay(1, timing)).toBe(2000);
    expect(retryDelay(30, timing)).toBe(300_000);
  });
});
