import type { SecretBox } from '@tiergate/access';
import { loadConfig } from '@tiergate/config';
import type { MqttBus } from '@tiergate/messaging';
import type { PullPointSubscription } from '@tiergate/onvif';
import type { CameraCheckTarget, CameraRepository } from '@tiergate/persistence';
import type { HealthMonitor } from '../health/health.monitor';
import type { EventsClient } from './camera-events.loop';
import { CameraEventsService } from './camera-events.service';

const row = (id: string): CameraCheckTarget => ({ id, onvifHost: `127.0.9.${id.length}`, onvifPort: 8080, username: 'admin', passwordSealed: null }) as unknown as CameraCheckTarget;
const until = async (what: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return what();
};

/** A camera whose subscription is up and long-polling; it records every call, by camera. */
function fakeDevice() {
  const calls: string[] = [];
  const factory = (t: { host: string }): EventsClient => ({
    readClock: async () => void calls.push(`${t.host} clock`),
    eventsAddress: async () => new URL(`http://${t.host}/onvif/events`),
    createPullPoint: async () => (calls.push(`${t.host} subscribe`), { address: new URL(`http://${t.host}/sub`) } as unknown as PullPointSubscription),
    pull: (_s, _w, _l, signal) =>
      new Promise((_resolve, reject) => {
        calls.push(`${t.host} pull`);
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
    renew: async () => ({}),
    unsubscribe: async () => void calls.push(`${t.host} unsubscribe`),
  });
  return { calls, factory };
}

describe('CameraEventsService and the health monitor\'s quarantine', () => {
  const rows = [row('a'), row('bb')];
  const held = new Set<string>();
  const heldListeners: ((id: string) => void)[] = [];
  const health = { isHeld: (id: string) => held.has(id), onHeld: (l: (id: string) => void) => (heldListeners.push(l), () => undefined) } as unknown as HealthMonitor;
  const cameras = { checkTargets: async () => rows } as unknown as CameraRepository;
  const bus = { subscribe: async () => async () => undefined, publish: async () => undefined } as unknown as MqttBus;
  const config = loadConfig({ env: {}, overrides: { dataDir: 'memory://' } });

  it('does not subscribe to a held device, and stops a running subscription without a goodbye when its device is held', async () => {
    held.add('bb');
    const device = fakeDevice();
    const service = new CameraEventsService(cameras, {} as SecretBox, bus, config, health);
    service.useClientFactory(device.factory);
    await service.onApplicationBootstrap();
    try {
      expect(await until(() => service.states().get('a') === 'subscribed')).toBe(true);
      expect(service.states().has('bb')).toBe(false);
      expect(device.calls.some((c) => c.startsWith('127.0.9.2 '))).toBe(false);
      // the health monitor quarantines camera a: its subscriber ends at once, and the device hears nothing more
      held.add('a');
      const before = device.calls.length;
      for (const l of heldListeners) l('a');
      expect(await until(() => !service.states().has('a'))).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      expect(device.calls.slice(before)).toEqual([]);
      // the hold ends: the next comparison subscribes again
      held.clear();
      for (const l of heldListeners) l('bb'); // any reconcile will do
      expect(await until(() => service.states().get('a') === 'subscribed' && service.states().get('bb') === 'subscribed')).toBe(true);
    } finally {
      await service.onApplicationShutdown();
    }
    // a graceful stop still says goodbye
    expect(device.calls.filter((c) => c.endsWith('unsubscribe')).sort()).toEqual(['127.0.9.1 unsubscribe', '127.0.9.2 unsubscribe']);
  });
});
