import { longestStallMs, playedWithin } from './stall';

const every100 = (positions: number[], start = 1000) => positions.map((t, i) => ({ at: start + i * 100, t }));

describe('longestStallMs', () => {
  it('is 0 while the position moves on every sample', () => {
    expect(longestStallMs(every100([1, 1.1, 1.2, 1.3]), 0, 10_000)).toBe(0);
  });

  it('measures a freeze from the last moving sample to the sample that moves again', () => {
    // reaches 1.2 at 1200, still there at 1600, moves at 1700
    expect(longestStallMs(every100([1, 1.1, 1.2, 1.2, 1.2, 1.2, 1.2, 1.3]), 0, 10_000)).toBe(400);
  });

  it('counts a freeze still open at the end, and a position that went back as frozen', () => {
    expect(longestStallMs(every100([1, 2, 3, 0.5, 0.6, 0.7]), 0, 10_000)).toBe(300);
  });

  it('keeps the longest of several freezes and ignores those outside the window', () => {
    const s = every100([1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 4]);
    expect(longestStallMs(s, 0, 10_000)).toBe(500);
    expect(longestStallMs(s, 1650, 10_000)).toBe(200);
  });

  it('starts a freeze that began before the window at the window', () => {
    expect(longestStallMs(every100([1, 1, 1, 1, 1, 2]), 1200, 10_000)).toBe(200);
  });
});

describe('playedWithin', () => {
  it('is the media time between the first and last sample of the window', () => {
    expect(playedWithin(every100([1, 1.1, 1.2, 1.3, 1.4]), 1100, 1300)).toBeCloseTo(0.2);
    expect(playedWithin(every100([1]), 0, 10_000)).toBe(0);
  });
});
