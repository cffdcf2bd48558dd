import { LeaseRepository } from '@tiergate/persistence';
import { startTestProcess, TestProcess } from '../support/harness';

/** The acting partitioner's versions (access snapshot, recording plan) come from LeaseRepository.act. */
describe('lease fence', () => {
  let tg: TestProcess;
  beforeAll(async () => {
    tg = await startTestProcess({ name: 'lease-test', modules: [], http: false });
  }, 60_000);
  afterAll(async () => tg?.stop());

  it('grows with every act, is never below the clock in ms (a recreated database outranks retained messages of the old one), and refuses a lost holder', async () => {
    const leases = tg.running.app.get(LeaseRepository, { strict: false });
    const before = Date.now() - 1000; // the database clock may trail ours a little
    expect(await leases.acquire('fence-test', 'a', 5000)).toBe(true);
    const first = (await leases.act('fence-test', 'a'))!;
    const second = (await leases.act('fence-test', 'a'))!;
    expect(first).toBeGreaterThan(before);
    expect(second).toBeGreaterThan(first);
    expect(await leases.act('fence-test', 'b')).toBeUndefined();
    await leases.release('fence-test', 'a');
    expect(await leases.acquire('fence-test', 'b', 5000)).toBe(true);
    expect(await leases.act('fence-test', 'a')).toBeUndefined();
    expect((await leases.act('fence-test', 'b'))!).toBeGreaterThan(second);
  });
});
