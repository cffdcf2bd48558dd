import { BUSY_LOOP_DELAY_MS, BUSY_STARTING_SESSIONS, CONNECT_TIMEOUT, DeadWorkers, failureVerdict, HEARD_RECENTLY_MARGIN_MS, isBusy, isWorkerDown, NO_ANSWER } from './worker-liveness';

describe('DeadWorkers', () => {
  const T = Date.parse('2026-11-29T10:00:00Z');

  it('marks a worker once and lists it', () => {
    const dead = new DeadWorkers();
    expect(dead.mark('w1', T)).toBe(true);
    expect(dead.mark('w1', T + 500)).toBe(false);
    expect(dead.has('w1')).toBe(true);
    expect(dead.has('w2')).toBe(false);
    expect([...dead.ids()]).toEqual(['w1']);
  });

  it('ignores heartbeats stamped before or at the moment it was found dead (late or re-delivered retained ones)', () => {
    const dead = new DeadWorkers();
    dead.mark('w1', T);
    expect(dead.heartbeat('w1', T - 1500)).toBe(false);
    expect(dead.heartbeat('w1', T)).toBe(false);
    expect(dead.heartbeat('w1', Number.NaN)).toBe(false);
    expect(dead.has('w1')).toBe(true);
  });

  it('brings the worker back with a heartbeat stamped after it was found dead (it started again)', () => {
    const dead = new DeadWorkers();
    dead.mark('w1', T);
    expect(dead.heartbeat('w1', T + 1)).toBe(true);
    expect(dead.has('w1')).toBe(false);
    expect(dead.heartbeat('w1', T + 2)).toBe(false); // nothing to bring back any more
    expect(dead.mark('w1', T + 10)).toBe(true); // and it can die again
  });

  it('a heartbeat of another worker changes nothing', () => {
    const dead = new DeadWorkers();
    dead.mark('w1', T);
    expect(dead.heartbeat('w2', T + 5000)).toBe(false);
    expect(dead.has('w1')).toBe(true);
  });
});

describe('isWorkerDown', () => {
  const err = (code?: string) => Object.assign(new Error('x'), code ? { code } : {});
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', CONNECT_TIMEOUT])('%s means the worker is down', (code) => {
    expect(isWorkerDown(err(code))).toBe(true);
  });
  it.each([['no code', err()], ['DNS failure', err('ENOTFOUND')], ['a string', 'ECONNREFUSED'], ['null', null], ['number code', { code: 111 }]])(
    '%s does not',
    (_n, e) => {
      expect(isWorkerDown(e)).toBe(false);
    },
  );
});

describe('failureVerdict', () => {
  const HB = 2000;
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', undefined])('%s: dead however fresh the heartbeat and busy the worker', (code) => {
    expect(failureVerdict(code, 0, HB, true)).toBe('dead');
  });
  it('no connection within the deadline: slow for a busy worker heard lately (its accept queue is full), dead otherwise', () => {
    expect(failureVerdict(CONNECT_TIMEOUT, 0, HB, true)).toBe('slow');
    expect(failureVerdict(CONNECT_TIMEOUT, 0, HB, false)).toBe('dead');
    expect(failureVerdict(CONNECT_TIMEOUT, HB + HEARD_RECENTLY_MARGIN_MS + 1, HB, true)).toBe('dead');
  });
  it('no answer from a quiet worker: dead at once (hung)', () => {
    expect(failureVerdict(NO_ANSWER, 0, HB, false)).toBe('dead');
  });
  it('no answer from a busy worker heard within a period and the margin: slow (its loop runs, behind)', () => {
    expect(failureVerdict(NO_ANSWER, 0, HB, true)).toBe('slow');
    expect(failureVerdict(NO_ANSWER, HB + HEARD_RECENTLY_MARGIN_MS, HB, true)).toBe('slow');
  });
  it('no answer from a busy worker not heard for longer: dead (a stopped process sends no heartbeats)', () => {
    expect(failureVerdict(NO_ANSWER, HB + HEARD_RECENTLY_MARGIN_MS + 1, HB, true)).toBe('dead');
    expect(failureVerdict(NO_ANSWER, Infinity, HB, true)).toBe('dead');
  });
});

describe('isBusy', () => {
  const running = { state: 'ready' };
  const starting = { state: 'starting' };
  it('from the reported event-loop delay or the sessions starting at once', () => {
    expect(isBusy(undefined)).toBe(false);
    expect(isBusy({ sessions: [running, starting] })).toBe(false);
    expect(isBusy({ loopDelayMs: BUSY_LOOP_DELAY_MS - 1, sessions: [] })).toBe(false);
    expect(isBusy({ loopDelayMs: BUSY_LOOP_DELAY_MS, sessions: [] })).toBe(true);
    expect(isBusy({ sessions: Array(BUSY_STARTING_SESSIONS).fill(starting) })).toBe(true);
    expect(isBusy({ sessions: Array(BUSY_STARTING_SESSIONS - 1).fill(starting).concat([running, running]) })).toBe(false);
  });
});
