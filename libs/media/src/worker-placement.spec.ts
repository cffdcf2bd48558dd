import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import { chooseWorker, isFresh, lastKnownHolder } from './worker-placement';

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

describe('chooseWorker with exclusions', () => {
  it('never chooses an excluded worker, even the one holding the stream', () => {
    const sessions = [{ cameraId: 'cam1', profile: 'main', state: 'ready' }];
    const workers = [w('a', 5, 10, 0), w('b', 0, 10, 0, sessions), w('c', 1, 10, 0)];
    expect(chooseWorker(workers, NOW, 10_000, { cameraId: 'cam1', profile: 'main' }, new Set(['b']))?.workerId).toBe('c');
    expect(chooseWorker(workers, NOW, 10_000, undefined, new Set(['b', 'c']))?.workerId).toBe('a');
    expect(chooseWorker(workers, NOW, 10_000, undefined, new Set(['a', 'b', 'c']))).toBeUndefined();
  });
});

describe('isFresh', () => {
  it.each([
    [0, true],
    [10_000, true],
    [10_001, false],
    [-10_000, true], // a worker clock slightly ahead
    [-10_001, false],
  ])('heartbeat %i ms old → %s', (age, fresh) => {
    expect(isFresh(w('a', 0, 1, age), NOW, 10_000)).toBe(fresh);
  });
});

describe('lastKnownHolder', () => {
  const want = { cameraId: 'cam1', profile: 'main' };
  const holding = (state = 'ready') => [{ cameraId: 'cam1', profile: 'main', state }];

  it('finds the holder however stale its heartbeat (a broker outage is not a dead worker)', () => {
    const workers = [w('a', 0, 10, 0), w('b', 3, 10, 120_000, holding())];
    expect(lastKnownHolder(workers, want)?.workerId).toBe('b');
    expect(chooseWorker(workers, NOW, 10_000, want)?.workerId).toBe('a'); // while new placements skip it
  });

  it('takes the newest heartbeat when two list the session, ties by id', () => {
    expect(lastKnownHolder([w('a', 0, 10, 9000, holding()), w('b', 0, 10, 2000, holding())], want)?.workerId).toBe('b');
    expect(lastKnownHolder([w('b', 0, 10, 2000, holding()), w('a', 0, 10, 2000, holding())], want)?.workerId).toBe('a');
  });

  it('skips idle sessions, other profiles and excluded workers', () => {
    const other = [{ cameraId: 'cam1', profile: 'sub', state: 'ready' }];
    expect(lastKnownHolder([w('a', 0, 10, 0, holding('idle')), w('b', 0, 10, 0, other)], want)).toBeUndefined();
    expect(lastKnownHolder([w('a', 0, 10, 0, holding())], want, new Set(['a']))).toBeUndefined();
  });

  it('ranks an unparseable heartbeat time last', () => {
    const bad = { ...w('a', 0, 10, 0, holding()), at: 'never' };
    expect(lastKnownHolder([bad, w('b', 0, 10, 500_000, holding())], want)?.workerId).toBe('b');
    expect(lastKnownHolder([bad], want)?.workerId).toBe('a');
  });
});
