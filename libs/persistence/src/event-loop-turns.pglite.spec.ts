import { oneTurnPerMessage } from './event-loop-turns.pglite';

/** Stands in for PGlite: answers each message at once (through promises only, as PGlite does) and records the order. */
function fakePglite(events: string[]) {
  return {
    waitReady: Promise.resolve(),
    execProtocolStream: async (message: Uint8Array) => {
      events.push(`message ${message[0]}`);
      return [{ name: 'answer', of: message[0] }];
    },
  };
}

describe('oneTurnPerMessage (the embedded database yields the event loop between protocol messages)', () => {
  it('lets a turn of the event loop run before each message, and passes the answers back in order', async () => {
    const events: string[] = [];
    const endpoint = oneTurnPerMessage(fakePglite(events));
    // A transaction's messages, chained as the node-postgres adapter chains them.
    const answers: unknown[] = [];
    let chain = Promise.resolve();
    for (const m of [1, 2, 3]) chain = chain.then(async () => void answers.push(...(await endpoint.execProtocolStream(Uint8Array.of(m)))));
    // Work that waits for the loop (an HTTP request, a timer): it must not wait for the whole chain.
    setImmediate(() => events.push('other turn'));
    await chain;

    expect(events.indexOf('other turn')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('other turn')).toBeLessThan(events.indexOf('message 3'));
    expect(events.filter((e) => e.startsWith('message'))).toEqual(['message 1', 'message 2', 'message 3']);
    expect(answers).toEqual([1, 2, 3].map((of) => ({ name: 'answer', of })));
  });

  it('without it, the same chain runs in one turn (what the adapter does on its own)', async () => {
    const events: string[] = [];
    const raw = fakePglite(events);
    let chain = Promise.resolve();
    for (const m of [1, 2, 3]) chain = chain.then(async () => void (await raw.execProtocolStream(Uint8Array.of(m))));
    setImmediate(() => events.push('other turn'));
    await chain;
    expect(events).toEqual(['message 1', 'message 2', 'message 3']);
  });

  it("the adapter's wait for readiness is the instance's", () => {
    const fake = fakePglite([]);
    expect(oneTurnPerMessage(fake).waitReady).toBe(fake.waitReady);
  });
});
