import { CONNECT_TIMEOUT, DeadWorkers, isWorkerDown } from './worker-liveness';

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
