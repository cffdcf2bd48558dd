import { backoffMs, retryStartup } from './startup-retry';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A fake clock that sleeping advances. */
function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), get t() { return t; } };
}

describe('retryStartup', () => {
  it('backs off 0.5 s doubling to 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('retries an outage until it ends, one log line per failed attempt', async () => {
    const time = fakeTime();
    const lines: string[] = [];
    let calls = 0;
    const value = await retryStartup(
      async () => {
        if (++calls < 4) throw refused();
        return 'open';
      },
      { what: 'the database at postgres://db:5432/tiergate', forMs: 30_000, retryable: () => true, log: (l) => lines.push(l), ...time },
    );
    expect(value).toBe('open');
    expect(calls).toBe(4);
    expect(lines).toEqual([
      'the database at postgres://db:5432/tiergate is not reachable (attempt 1: ECONNREFUSED); retrying in 0.5 s, giving up in 30 s',
      'the database at postgres://db:5432/tiergate is not reachable (attempt 2: ECONNREFUSED); retrying in 1.0 s, giving up in 30 s',
      'the database at postgres://db:5432/tiergate is not reachable (attempt 3: ECONNREFUSED); retrying in 2.0 s, giving up in 29 s',
    ]);
  });

  it('gives up with the last error once the time is spent, never sleeping past it', async () => {
    const time = fakeTime();
    const lines: string[] = [];
    const last = refused();
    await expect(retryStartup(() => Promise.reject(last), { what: 'the broker', forMs: 10_000, retryable: () => true, log: (l) => lines.push(l), ...time })).rejects.toBe(last);
    expect(time.t).toBe(10_000);
    expect(lines).toHaveLength(5); // 0.5 + 1 + 2 + 4 + 2.5 (cut to what is left)
    expect(lines[4]).toMatch(/retrying in 2\.5 s, giving up in 3 s$/);
  });

  it('does not retry what waiting cannot fix, nor at all with 0 s', async () => {
    const time = fakeTime();
    const lines: string[] = [];
    let calls = 0;
    const auth = new Error('password authentication failed for user "tiergate"');
    await expect(retryStartup(async () => { calls++; throw auth; }, { what: 'db', forMs: 30_000, retryable: (e) => e !== auth, log: (l) => lines.push(l), ...time })).rejects.toBe(auth);
    await expect(retryStartup(async () => { calls++; throw refused(); }, { what: 'db', forMs: 0, retryable: () => true, log: (l) => lines.push(l), ...time })).rejects.toThrow(/ECONNREFUSED/);
    expect(calls).toBe(2);
    expect(lines).toEqual([]);
  });

  it('stops waiting when start-up is aborted (SIGTERM)', async () => {
    const abort = new AbortController();
    let calls = 0;
    const started = Date.now();
    const run = retryStartup(async () => { calls++; throw refused(); }, { what: 'db', forMs: 60_000, retryable: () => true, log: () => abort.abort(new Error('stopped by SIGTERM')), signal: abort.signal });
    await expect(run).rejects.toThrow('stopped by SIGTERM');
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(400);
  });
});
