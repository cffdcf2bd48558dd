import { erf, erfc, twoSidedNormalP } from './normal-distribution.math';

/** Independent check: Maclaurin series of erf, exact enough for |x| <= 2 in double precision. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Independent check for large x: Lentz continued fraction of erfc. */
function erfcContinuedFraction(x: number): number {
  // erfc(x) = exp(-x²)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + ...)))))
  let f = x;
  for (let k = 200; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

describe('erfc (Cody)', () => {
  it.each([
    [0, 1],
    [0.1, 0.8875370839817151],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
    [-1, 1.8427007929497148],
  ])('erfc(%p) = %p', (x, expected) => {
    expect(Math.abs(erfc(x) - expected)).toBeLessThanOrEqual(1e-15 + 1e-13 * Math.abs(expected));
  });

  it('matches an independent series and continued fraction over a grid', () => {
    for (let x = -2; x <= 2; x += 0.037) expect(Math.abs(erf(x) - erfSeries(x))).toBeLessThan(1e-14);
    for (let x = 2.5; x <= 12; x += 0.173) {
      const ref = erfcContinuedFraction(x);
      expect(Math.abs(erfc(x) - ref) / ref).toBeLessThan(1e-12);
    }
  });

  it('gives the classic two-sided p-values', () => {
    expect(twoSidedNormalP(1.6448536269514722)).toBeCloseTo(0.1, 12);
    expect(twoSidedNormalP(-1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedNormalP(2.5758293035489004)).toBeCloseTo(0.01, 12);
    expect(twoSidedNormalP(0)).toBe(1);
    expect(twoSidedNormalP(40)).toBe(0);
  });
});
