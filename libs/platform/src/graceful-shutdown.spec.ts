import { GracefulShutdown } from './graceful-shutdown';

function harness(deadlineMs = 1000) {
  const exits: number[] = [];
  const lines: string[] = [];
  let fire: (() => void) | undefined;
  let exited: () => void = () => undefined;
  const done = new Promise<void>((r) => (exited = r));
  const shutdown = new GracefulShutdown(deadlineMs, {
    exit: (code) => {
      exits.push(code);
      exited();
    },
    say: (l) => lines.push(l),
    setTimer: (fn) => ((fire = fn), { unref: () => undefined }),
  });
  return { shutdown, exits, lines, done, fireDeadline: () => fire?.() };
}

describe('GracefulShutdown', () => {
  it('runs every step in order once, then exits 0 on a signal', async () => {
    const h = harness();
    const order: string[] = [];
    h.shutdown.add({ name: 'the app', run: async () => void order.push('app') });
    h.shutdown.add({ name: 'the database', run: async () => void order.push('db') });
    h.shutdown.begin('SIGTERM', 0, { forceOnRepeat: true });
    await h.done;
    expect(order).toEqual(['app', 'db']);
    expect(h.exits).toEqual([0]);
    expect(h.lines).toEqual([]);
  });

  it('waits for start-up to settle before stopping (a SIGTERM during start-up)', async () => {
    const h = harness();
    let started!: () => void;
    const order: string[] = [];
    h.shutdown.whileStarting(new Promise<void>((r) => (started = r)).then(() => h.shutdown.add({ name: 'the app', run: async () => void order.push('app') })));
    h.shutdown.begin('SIGINT', 0);
    await new Promise((r) => setTimeout(r, 10));
    expect(h.exits).toEqual([]);
    started();
    await h.done;
    expect(order).toEqual(['app']);
    expect(h.exits).toEqual([0]);
  });

  it('exits 1 naming the step still running when the deadline passes', async () => {
    const h = harness(15_000);
    h.shutdown.add({ name: 'the app', run: async () => undefined });
    h.shutdown.add({ name: 'the database and broker connections', run: () => new Promise(() => undefined) });
    h.shutdown.begin('SIGTERM', 0);
    await new Promise((r) => setTimeout(r, 10));
    h.fireDeadline();
    await h.done;
    expect(h.exits).toEqual([1]);
    expect(h.lines).toEqual(['shutdown after SIGTERM did not finish within 15 s: still stopping the database and broker connections; exiting with code 1']);
  });

  it('a second signal exits at once; other repeats change nothing', async () => {
    const h = harness();
    h.shutdown.add({ name: 'the app', run: () => new Promise(() => undefined) });
    h.shutdown.begin('SIGTERM', 0, { forceOnRepeat: true });
    h.shutdown.begin('uncaught exception', 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(h.exits).toEqual([]);
    h.shutdown.begin('SIGINT', 0, { forceOnRepeat: true });
    await h.done;
    expect(h.exits).toEqual([1]);
    expect(h.lines).toEqual(['SIGINT again while stopping (the app): exiting now']);
    h.fireDeadline();
    expect(h.exits).toEqual([1]);
  });

  it('a failing step is reported, the rest still run, and the exit is 1; a crash exits 1 too', async () => {
    const h = harness();
    const order: string[] = [];
    h.shutdown.add({ name: 'the app', run: () => Promise.reject(new Error('boom')) });
    h.shutdown.add({ name: 'the database', run: async () => void order.push('db') });
    h.shutdown.begin('SIGTERM', 0);
    await h.done;
    expect(order).toEqual(['db']);
    expect(h.exits).toEqual([1]);
    expect(h.lines).toEqual(['shutdown: stopping the app failed: boom']);

    const crash = harness();
    crash.shutdown.begin('uncaught exception', 1);
    await crash.done;
    expect(crash.exits).toEqual([1]);
  });
});
