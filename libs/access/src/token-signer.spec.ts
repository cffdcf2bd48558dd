import { TokenSigner } from './token-signer';

describe('TokenSigner', () => {
  const signer = new TokenSigner('a-secret-of-enough-length', 'stream');
  const now = Date.UTC(2026, 0, 1);
  const exp = now / 1000 + 60;

  it('round-trips claims before expiry', () => {
    expect(signer.verify(signer.sign({ cam: 'c1', exp }), now)).toEqual({ cam: 'c1', exp });
  });
  it('refuses an expired token', () => {
    expect(signer.verify(signer.sign({ cam: 'c1', exp }), now + 61_000)).toBeUndefined();
  });
  it('refuses a token whose claims were changed', () => {
    const [h, , s] = signer.sign({ cam: 'c1', exp }).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ cam: 'c2', exp })).toString('base64url')}.${s}`;
    expect(signer.verify(forged, now)).toBeUndefined();
  });
  it('keeps purposes apart', () => {
    expect(new TokenSigner('a-secret-of-enough-length', 'session').verify(signer.sign({ exp }), now)).toBeUndefined();
  });
  it.each(['', 'abc', 'a.b', 'a.b.c', 'x'.repeat(5000)])('refuses garbage %#', (t) => {
    expect(signer.verify(t, now)).toBeUndefined();
  });
});
