import type { TiergateConfig } from '@tiergate/config';
import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import type { MqttBus } from '@tiergate/messaging';
import { CONFIRM_MARGIN_MS, SessionHolders } from './session-holders';
import { WorkerDirectory } from './worker.directory';

const config = { transcoder: { workerStaleMs: 6000 } } as TiergateConfig;
const KEY = { cameraId: 'cam', profile: 'sub' } as const;
const T0 = 1_000_000;

const hb = (workerId: string, holds: boolean): WorkerHeartbeatMessage => ({
  workerId, baseUrl: `http://127.0.0.9:${workerId.length}`, capacity: 4, load: 0, at: new Date(T0).toISOString(),
  sessions: holds ? [{ cameraId: KEY.cameraId, profile: KEY.profile, state: 'ready' }] : [],
});

function setup() {
  const directory = new WorkerDirectory({} as MqttBus, config);
  return { directory, holders: new SessionHolders(directory) };
}

describe('SessionHolders: who holds a session, from the heartbeats', () => {
  it('takes the heartbeat that lists the session, and none when no heartbeat does', () => {
    const { directory, holders } = setup();
    directory.heard(hb('w1', false), T0);
    expect(holders.holderOf(KEY)).toBeUndefined();
    directory.heard(hb('w2', true), T0);
    expect(holders.holderOf(KEY)?.workerId).toBe('w2');
  });

  it('bridges a just-placed answer until the worker’s next heartbeat, which then decides', () => {
    const { directory, holders } = setup();
    directory.heard(hb('w1', false), T0);
    holders.placed(KEY, 'w1', T0 + 10);
    directory.heard(hb('w1', false), T0 + 10 + CONFIRM_MARGIN_MS / 2); // may predate the session: no verdict
    expect(holders.holderOf(KEY)?.workerId).toBe('w1');
    directory.heard(hb('w1', false), T0 + 10 + CONFIRM_MARGIN_MS + 1); // the worker does not run it (restarted, closed it)
    expect(holders.holderOf(KEY)).toBeUndefined();
  });

  it('keeps a session on the worker it was delivered from when two heartbeats list it', () => {
    const { directory, holders } = setup();
    directory.heard(hb('w1', true), T0);
    directory.heard(hb('w2', true), T0);
    holders.placed(KEY, 'w2', T0);
    directory.heard(hb('w2', true), T0 + 5000);
    directory.heard(hb('w1', true), T0 + 5000);
    for (let i = 0; i < 3; i++) expect(holders.deliverFrom(KEY, T0 + 6000)?.workerId).toBe('w2');
  });

  it('a worker found dead holds nothing; its watched sessions are handed back to be placed again', () => {
    const { directory, holders } = setup();
    directory.heard(hb('w1', true), T0);
    holders.placed(KEY, 'w1', T0);
    directory.markDead('w1', 'test', T0 + 1);
    expect(holders.holderOf(KEY)).toBeUndefined();
    expect(holders.releaseWorker('w1', T0 - 1)).toEqual([KEY]);
    expect(holders.releaseWorker('w1', T0 + 1)).toEqual([]); // not watched since
  });

  it('knows what a session has: `segment` from a heartbeat listing it ready, else what this gateway\'s placement answer said', () => {
    const { directory, holders } = setup();
    directory.heard({ ...hb('w1', false), sessions: [{ ...KEY, state: 'starting' }] }, T0);
    expect(holders.readinessOf(KEY, 'w1')).toBeUndefined(); // starting: maybe not even a keyframe yet
    holders.placed(KEY, 'w1', T0 + 10, 'fragment');
    expect(holders.readinessOf(KEY, 'w1')).toBe('fragment');
    expect(holders.readinessOf(KEY, 'w2')).toBeUndefined();
    // the worker's own heartbeats speak again: still starting there, the bridge says nothing more
    directory.heard({ ...hb('w1', false), sessions: [{ ...KEY, state: 'starting' }] }, T0 + 10 + CONFIRM_MARGIN_MS + 1);
    expect(holders.readinessOf(KEY, 'w1')).toBeUndefined();
    directory.heard(hb('w1', true), T0 + 3000);
    expect(holders.readinessOf(KEY, 'w1')).toBe('segment');
    directory.markDead('w1', 'test', T0 + 3001);
    expect(holders.readinessOf(KEY, 'w1')).toBeUndefined();
  });
});
