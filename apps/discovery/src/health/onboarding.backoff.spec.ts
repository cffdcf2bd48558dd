import { delayAfter, OnboardingBackoff, onboardingPendingNote } from './onboarding.backoff';

describe('onboarding backoff', () => {
  it('doubles the wait after each failure, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => delayAfter(n, 15_000, 30 * 60_000))).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000,
    ]);
  });

  it('is due at once, not again until the wait is over, and afresh after forget', () => {
    const b = new OnboardingBackoff(15_000, 60_000);
    expect(b.due('c', 0)).toBe(true);
    expect(b.failed('c', 1000, 'no profiles')).toBe(16_000);
    expect(b.due('c', 15_999)).toBe(false);
    expect(b.due('c', 16_000)).toBe(true);
    expect(b.failed('c', 16_000, 'again')).toBe(46_000);
    expect(b.lastFailure('c')).toEqual({ reason: 'again', nextAt: 46_000 });
    expect(b.due('other', 16_000)).toBe(true);
    b.forget('c');
    expect(b.due('c', 16_001)).toBe(true);
    expect(b.lastFailure('c')).toBeUndefined();
  });

  it('says why the profiles are missing and when the next attempt is', () => {
    expect(onboardingPendingNote('camera at h:80 reports no video profile with a stream URI.', 46_000, 16_000)).toBe(
      'the camera answers, but its profiles could not be read yet (camera at h:80 reports no video profile with a stream URI); next attempt in 30 s',
    );
  });
});
