import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import { chooseWorker } from './worker-placement';

const NOW = Date.parse('2026-11-29T10:00:00Z');
const w = (workerId: string, load: number, capacity: number, ageMs: number, sessions: WorkerHeartbeatMessage['sessions'] = []): WorkerHeartbeatMessage => ({
  workerId, load, capacity, sessions, baseUrl: `http://127.0.0.1/${workerId}`, at: new Date(NOW - ageMs).toISOString(),
});

describe('chooseWorker', () => {
  const cases: Array<[string, WorkerHeartbeatMessage[], string | undefined]> = [
    ['none', [], undefined],
    ['least loaded wins', [w('a', 5, 10, 0), w('b', 2, 10, 0), w('c', 3, 10, 0)], 'b'],
    ['ties broken by id', [w('c', 1, 10, 0), w('a', 1, 10, 0), w('b', 1, 10, 0)], 'a'],
    ['stale heartbeats skipped', [w('a', 0, 10, 20_000), w('b', 9, 10, 1000)], 'b'],
    ['full workers skipped', [w('a', 10, 10, 0), w('b', 4, 4, 0)], undefined],
    ['relative load counts', [w('big', 10, 100, 0), w('small', 2, 4, 0)], 'big'],
    ['zero capacity is never chosen', [w('a', 0, 0, 0)], undefined],
    ['unparseable at is stale', [{ ...w('a', 0, 10, 0), at: 'yesterday' }, w('b', 5, 10, 0)], 'b'],
    ['heartbeat exactly staleMs old is live', [w('a', 0, 10, 10_000)], 'a'],
  ];
  it.each(cases)('%s', (_n, workers, expected) => {
    expect(chooseWorker(workers, NOW, 10_000)?.workerId).toBe(expected);
  });

  it('prefers a live worker already running the stream, even when fuller', () => {
    const sessions = [{ cameraId: 'cam1', profile: 'main', state: 'ready' }];
    const workers = [w('a', 0, 10, 0), w('b', 10, 10, 0, sessions)];
    expect(chooseWorker(workers, NOW, 10_000, { cameraId: 'cam1', profile: 'main' })?.workerId).toBe('b');
    expect(chooseWorker(workers, NOW, 10_000, { cameraId: 'cam1', profile: 'sub' })?.workerId).toBe('a');
  });

  it('ignores a stale holder of the stream', () => {
    const sessions = [{ cameraId: 'cam1', profile: 'main', state: 'ready' }];
    const workers = [w('a', 3, 10, 0), w('b', 0, 10, 60_000, sessions)];
    expect(chooseWorker(workers, NOW, 10_000, { cameraId: 'cam1', profile: 'main' })?.workerId).toBe('a');
  });
});
