import { forEachBounded } from './for-each-bounded';

describe('forEachBounded', () => {
  it('never runs more than the limit at once and visits everything', async () => {
    let now = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      peak = Math.max(peak, ++now);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      now--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
