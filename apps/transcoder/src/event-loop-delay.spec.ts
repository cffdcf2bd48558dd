import { EventLoopDelay } from './event-loop-delay';

describe('EventLoopDelay', () => {
  it('reports a blocked loop as the longest delay since the last read, then starts over', async () => {
    const delay = new EventLoopDelay();
    try {
      await new Promise((r) => setTimeout(r, 150));
      delay.takeLongestMs();
      const until = Date.now() + 300;
      while (Date.now() < until); // the loop is blocked for 300 ms
      await new Promise((r) => setTimeout(r, 150));
      const blocked = delay.takeLongestMs()!;
      expect(blocked).toBeGreaterThanOrEqual(200);
      await new Promise((r) => setTimeout(r, 250));
      expect(delay.takeLongestMs()).toBeLessThan(blocked); // the read started over
    } finally {
      delay.close();
    }
  });
});
