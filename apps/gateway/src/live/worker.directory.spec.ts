import type { TiergateConfig } from '@tiergate/config';
import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import type { MqttBus } from '@tiergate/messaging';
import { WorkerDirectory } from './worker.directory';
import { NO_ANSWER } from './worker-liveness';

const config = { transcoder: { workerStaleMs: 6000, heartbeatMs: 2000 } } as TiergateConfig;
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

describe('WorkerDirectory: a request the worker did not answer in time', () => {
  const T = Date.parse('2026-12-03T08:00:00Z');
  const busy = (workerId: string): WorkerHeartbeatMessage => ({ ...hb(workerId, new Date(T)), loopDelayMs: 800 });

  it('a busy worker heard within a heartbeat period + 1 s stays live: slow, nothing moves, nobody is told', async () => {
    const { directory } = await setup();
    const deaths: string[] = [];
    directory.onDeath((id) => deaths.push(id));
    directory.heard(busy('w1'), T);
    expect(directory.reportFailure('w1', NO_ANSWER, 'no answer on GET index.m3u8', T + 2500)).toBe('slow');
    expect(directory.isDead('w1')).toBe(false);
    expect(deaths).toEqual([]);
    // its heartbeats stop as well (it froze after all): the next unanswered request finds it dead
    expect(directory.reportFailure('w1', NO_ANSWER, 'no answer on GET index.m3u8', T + 3001)).toBe('dead');
    expect(directory.isDead('w1')).toBe(true);
    expect(deaths).toEqual(['w1']);
  });

  it('a quiet worker that stops answering is hung: dead at the first unanswered request; a refused one is dead however busy', async () => {
    const { directory } = await setup();
    directory.heard(hb('w1', new Date(T)), T);
    expect(directory.reportFailure('w1', NO_ANSWER, 'no answer', T + 100)).toBe('dead');
    directory.heard(busy('w2'), T);
    expect(directory.reportFailure('w2', 'ECONNREFUSED', 'refused', T + 100)).toBe('dead');
    expect([directory.isDead('w1'), directory.isDead('w2')]).toEqual([true, true]);
  });
});
