import type { TiergateConfig } from '@tiergate/config';
import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import type { MqttBus } from '@tiergate/messaging';
import { WorkerDirectory } from './worker.directory';

const config = { transcoder: { workerStaleMs: 6000 } } as TiergateConfig;
const TOPIC = (id: string) => `tiergate/v1/workers/${id}/heartbeat`;

async function setup() {
  let deliver: (topic: string, payload: unknown) => void = () => undefined;
  const bus = { subscribe: async (_f: string, h: typeof deliver) => ((deliver = h), async () => undefined) } as unknown as MqttBus;
  const directory = new WorkerDirectory(bus, config);
  await directory.onModuleInit();
  return { directory, deliver: (id: string, payload: unknown) => deliver(TOPIC(id), payload) };
}

const hb = (workerId: string, at = new Date()): WorkerHeartbeatMessage => ({ workerId, baseUrl: `http://127.0.0.9:${workerId.length}`, capacity: 4, load: 0, sessions: [{ cameraId: 'cam', profile: 'sub', state: 'ready' }], at: at.toISOString() });

describe('WorkerDirectory: a withdrawn heartbeat (graceful leave or last will)', () => {
  it('stops new placements there but keeps the worker deliverable, and tells the listeners once', async () => {
    const { directory, deliver } = await setup();
    const told: string[] = [];
    directory.onWithdrawn((w) => told.push(w.workerId));
    deliver('w1', hb('w1'));
    deliver('w2', hb('w2'));
    expect(directory.isLive('w1')).toBe(true);
    // Mosquitto stopping publishes every client's will: an empty retained heartbeat
    deliver('w1', null);
    deliver('w1', null);
    expect(told).toEqual(['w1']);
    expect(directory.isWithdrawn('w1')).toBe(true);
    expect(directory.isLive('w1')).toBe(false);
    expect(directory.deliverable('w1')?.workerId).toBe('w1'); // its sessions keep playing while it answers HTTP
    expect(directory.choose('cam', 'sub')?.workerId).toBe('w2');
    expect(directory.lastKnownHolder('cam', 'sub', new Set(['w2']))?.workerId).toBe('w1'); // asked over HTTP before any re-placement
    // its next heartbeat (the broker is back) makes it live again
    deliver('w1', hb('w1'));
    expect(directory.isWithdrawn('w1')).toBe(false);
    expect(directory.isLive('w1')).toBe(true);
  });

  it('ignores a withdrawal of a worker it never heard of', async () => {
    const { directory, deliver } = await setup();
    const told: string[] = [];
    directory.onWithdrawn((w) => told.push(w.workerId));
    deliver('ghost', null);
    expect(told).toEqual([]);
    expect(directory.get('ghost')).toBeUndefined();
  });
});
