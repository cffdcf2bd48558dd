import { AuditQueue } from './audit-queue';

function setup(failures: Record<number, number> = {}, maxQueued?: number) {
  const written: number[] = [];
  const logs: string[] = [];
  const sleeps: number[] = [];
  const tries = new Map<number, number>();
  const queue = new AuditQueue<number>({
    write: async (n) => {
      const t = (tries.get(n) ?? 0) + 1;
      tries.set(n, t);
      if (t <= (failures[n] ?? 0)) throw new Error(`db down (${n})`);
      written.push(n);
    },
    log: (level, m) => logs.push(`${level}: ${m}`),
    describe: (n) => `entry ${n}`,
    sleep: async (ms) => void sleeps.push(ms),
    retryDelaysMs: [10, 20],
    maxQueued,
  });
  return { queue, written, logs, sleeps };
}

describe('AuditQueue', () => {
  it('returns at once and writes the entries in order', async () => {
    const t = setup();
    for (const n of [1, 2, 3]) t.queue.add(n);
    expect(t.queue.pending).toBe(3);
    await t.queue.drain();
    expect(t.written).toEqual([1, 2, 3]);
    expect(t.logs).toEqual([]);
  });

  it('retries a failed write with the delays, logging each failure; later entries wait behind it (order kept)', async () => {
    const t = setup({ 1: 2 });
    t.queue.add(1);
    t.queue.add(2);
    await t.queue.drain();
    expect(t.written).toEqual([1, 2]);
    expect(t.sleeps).toEqual([10, 20]);
    expect(t.logs).toEqual([expect.stringMatching(/^warn: audit write failed \(db down \(1\)\); retry 1 of 2 in 10 ms/), expect.stringMatching(/^warn: .*retry 2 of 2 in 20 ms/)]);
  });

  it('an entry that still fails is logged in full as an error, and the queue goes on', async () => {
    const t = setup({ 1: 99 });
    t.queue.add(1);
    t.queue.add(2);
    await t.queue.drain();
    expect(t.written).toEqual([2]);
    expect(t.logs.at(-1)).toBe('error: audit entry NOT written after 3 attempts (db down (1)): entry 1');
  });

  it('past the cap a new entry is logged, not kept', async () => {
    const t = setup({ 1: 1 }, 1);
    t.queue.add(1);
    t.queue.add(2);
    await t.queue.drain();
    expect(t.written).toEqual([1]);
    expect(t.logs).toContain('error: audit entry not kept (1 waiting for the database): entry 2');
  });
});
