import { inPlainWords, pendingOnboardingReason } from './camera-status-reason';

describe('camera status reasons', () => {
  it('spells out a trailing socket error code and leaves other text alone', () => {
    expect(inPlainWords('camera at h:80 is unreachable (EHOSTUNREACH)')).toBe('camera at h:80 is unreachable (no route to that address: the camera is off or on another network)');
    expect(inPlainWords('camera at h:80 is unreachable (timeout)')).toMatch(/\(no answer in time/);
    expect(inPlainWords('camera at h:80 is unreachable (EWEIRD)')).toBe('camera at h:80 is unreachable (EWEIRD)');
    expect(inPlainWords('(ECONNREFUSED) in the middle, not at the end')).toBe('(ECONNREFUSED) in the middle, not at the end');
  });

  it('says what happens next for a saved camera that is not onboarded yet, within 500 characters', () => {
    expect(pendingOnboardingReason('offline', 'camera at h:80 is unreachable (ECONNREFUSED).')).toMatch(/wrong\); saved without its profiles: onboarding completes when it first answers$/);
    expect(pendingOnboardingReason('unauthorized', 'x'.repeat(900))).toHaveLength(500);
  });
});
