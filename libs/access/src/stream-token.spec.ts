import { StreamTokens } from './stream-token';
import { TokenSigner } from './token-signer';

describe('StreamTokens', () => {
  const tokens = new StreamTokens(new TokenSigner('stream-secret-for-tests', 'stream'), 120);
  const now = Date.UTC(2026, 10, 29, 8);
  const { token, expiresAt } = tokens.issue('u1', 'cam-a', 'sub', now);

  it('allows the camera and profile it was issued for until it expires', () => {
    expect(expiresAt.getTime()).toBe(now + 120_000);
    expect(tokens.allows(token, 'cam-a', 'sub', now + 119_000)).toBe(true);
    expect(tokens.allows(token, 'cam-a', 'sub', now + 120_000)).toBe(false);
  });
  it('refuses another camera, another profile, or no token', () => {
    expect(tokens.allows(token, 'cam-b', 'sub', now)).toBe(false);
    expect(tokens.allows(token, 'cam-a', 'main', now)).toBe(false);
    expect(tokens.allows(undefined, 'cam-a', 'sub', now)).toBe(false);
  });
  it('refuses a token signed with another key', () => {
    const other = new StreamTokens(new TokenSigner('another-secret-entirely', 'stream'), 120).issue('u1', 'cam-a', 'sub', now).token;
    expect(tokens.allows(other, 'cam-a', 'sub', now)).toBe(false);
  });
});
