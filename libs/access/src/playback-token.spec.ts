import { ExportDownloadTokens, PlaybackTokens } from './playback-token';
import { StreamTokens } from './stream-token';
import { TokenSigner } from './token-signer';

describe('PlaybackTokens', () => {
  const secret = 'playback-secret-for-tests';
  const tokens = new PlaybackTokens(new TokenSigner(secret, 'playback'), 600);
  const now = Date.UTC(2026, 10, 29, 8);
  const range = { userId: 'u1', cameraId: 'cam-a', profile: 'sub' as const, from: now - 120_000, to: now - 60_000 };
  const { token, expiresAt } = tokens.issue(range, now);

  it('opens the range it was issued for, on its camera and profile, until it expires', () => {
    expect(expiresAt.getTime()).toBe(now + 600_000);
    expect(tokens.rangeOf(token, 'cam-a', 'sub', now + 599_000)).toEqual(range);
    expect(tokens.rangeOf(token, 'cam-a', 'sub', now + 600_000)).toBeUndefined();
  });
  it('refuses another camera, another profile, or no token', () => {
    expect(tokens.rangeOf(token, 'cam-b', 'sub', now)).toBeUndefined();
    expect(tokens.rangeOf(token, 'cam-a', 'main', now)).toBeUndefined();
    expect(tokens.rangeOf(undefined, 'cam-a', 'sub', now)).toBeUndefined();
  });
  it('is not a live stream token, nor is a live token a playback token (one key per purpose)', () => {
    const live = new StreamTokens(new TokenSigner(secret, 'stream'), 600);
    expect(live.allows(token, 'cam-a', 'sub', now)).toBe(false);
    expect(tokens.rangeOf(live.issue('u1', 'cam-a', 'sub', now).token, 'cam-a', 'sub', now)).toBeUndefined();
  });
  it('a token seen through a grant works only while the grant is in force', () => {
    const granted = new PlaybackTokens(new TokenSigner(secret, 'playback'), 600);
    const viaGrant = granted.issue(range, now, 'g1').token;
    expect(granted.rangeOf(viaGrant, 'cam-a', 'sub', now)).toBeUndefined(); // no snapshot bound: no grant in force
    let inForce = true;
    granted.bindGrantCheck((id) => id === 'g1' && inForce);
    expect(granted.rangeOf(viaGrant, 'cam-a', 'sub', now)).toEqual(range);
    inForce = false;
    expect(granted.rangeOf(viaGrant, 'cam-a', 'sub', now)).toBeUndefined();
  });
});

describe('ExportDownloadTokens', () => {
  const tokens = new ExportDownloadTokens(new TokenSigner('export-secret', 'export-download'), 30);
  const now = Date.UTC(2026, 10, 29, 8);
  it('allows its export for its lifetime only', () => {
    const t = tokens.issue('u1', 'x1', now);
    expect(tokens.allows(t, 'x1', now + 29_000)).toBe(true);
    expect(tokens.allows(t, 'x1', now + 30_000)).toBe(false);
    expect(tokens.allows(t, 'x2', now)).toBe(false);
  });
});
