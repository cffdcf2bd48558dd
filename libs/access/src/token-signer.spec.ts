import { createHmac } from 'node:crypto';
import { claimsAreCurrent, isCanonicalCompactJws, TokenSigner } from './token-signer';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('TokenSigner', () => {
  const signer = new TokenSigner('a-secret-of-enough-length', 'stream');
  const now = Date.UTC(2026, 0, 1);
  const exp = now / 1000 + 60;
  /** Signs arbitrary header and claims with the signer's own key (what an insider with the key could mint). */
  const mint = (header: unknown, claims: unknown) => {
    const key = createHmac('sha256', 'a-secret-of-enough-length').update('tiergate-token:stream').digest();
    const body = `${b64(header)}.${b64(claims)}`;
    return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
  };

  it('round-trips claims before expiry', () => {
    expect(signer.verify(signer.sign({ cam: 'c1', exp }), now)).toEqual({ cam: 'c1', exp });
  });
  it('refuses an expired token, to the millisecond and without leeway', () => {
    expect(signer.verify(signer.sign({ cam: 'c1', exp }), exp * 1000 - 1)).toBeDefined();
    expect(signer.verify(signer.sign({ cam: 'c1', exp }), exp * 1000)).toBeUndefined();
  });
  it('refuses a token whose claims were changed', () => {
    const [h, , s] = signer.sign({ cam: 'c1', exp }).split('.');
    const forged = `${h}.${b64({ cam: 'c2', exp })}.${s}`;
    expect(signer.verify(forged, now)).toBeUndefined();
  });
  it('keeps purposes apart', () => {
    expect(new TokenSigner('a-secret-of-enough-length', 'session').verify(signer.sign({ exp }), now)).toBeUndefined();
  });
  it.each(['', 'abc', 'a.b', 'a.b.c', 'x'.repeat(5000)])('refuses garbage %#', (t) => {
    expect(signer.verify(t, now)).toBeUndefined();
  });

  it('accepts exactly one spelling of a signature (the spare bits of its last character must be zero)', () => {
    const token = signer.sign({ cam: 'c1', exp });
    const [h, p, s] = token.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // A 32-byte HMAC is 43 characters: the last one carries 4 data bits and 2 spare ones.
    const variants = [...alphabet].map((c) => `${h}.${p}.${s.slice(0, -1)}${c}`).filter((t) => Buffer.from(t.split('.')[2], 'base64url').equals(Buffer.from(s, 'base64url')));
    expect(variants.length).toBeGreaterThan(1);
    expect(variants.filter((t) => signer.verify(t, now) !== undefined)).toEqual([token]);
  });
  it('refuses padding, standard base64 and whitespace', () => {
    const token = signer.sign({ cam: 'c1', exp });
    expect(signer.verify(`${token}=`, now)).toBeUndefined();
    expect(signer.verify(token.replace(/-/g, '+').replace(/_/g, '/') + (token.includes('-') || token.includes('_') ? '' : '+'), now)).toBeUndefined();
    expect(signer.verify(` ${token}`, now)).toBeUndefined();
  });
  it('takes HS256 only, whatever the header says', () => {
    expect(signer.verify(mint({ alg: 'HS256', typ: 'JWT' }, { exp }), now)).toEqual({ exp });
    expect(signer.verify(mint({ alg: 'HS512', typ: 'JWT' }, { exp }), now)).toBeUndefined();
    expect(signer.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ exp })}.`, now)).toBeUndefined();
  });
  it('honours nbf and iat with a small leeway', () => {
    const t = now / 1000;
    expect(signer.verify(signer.sign({ exp, nbf: t + 3 }), now)).toBeDefined();
    expect(signer.verify(signer.sign({ exp, nbf: t + 30 }), now)).toBeUndefined();
    expect(signer.verify(signer.sign({ exp, nbf: t + 30 }), now + 30_000)).toBeDefined();
    expect(signer.verify(signer.sign({ exp, iat: t + 30 }), now)).toBeUndefined();
    expect(signer.verify(signer.sign({ exp, iat: t - 30 }), now)).toBeDefined();
  });
  it('needs a numeric exp', () => {
    expect(signer.verify(signer.sign({ cam: 'c1' }), now)).toBeUndefined();
    expect(signer.verify(mint({ alg: 'HS256', typ: 'JWT' }, { exp: String(exp) }), now)).toBeUndefined();
  });
});

describe('canonical token pieces', () => {
  it('isCanonicalCompactJws', () => {
    expect(isCanonicalCompactJws('eyJ9.eyJ9.AB')).toBe(false); // 'AB' has a spare bit set: one byte 0x00 is 'AA'
    expect(isCanonicalCompactJws('AAAA.AAAA.AAAA')).toBe(true);
    expect(isCanonicalCompactJws('AAAA.AAAA.AAAB')).toBe(true);
    expect(isCanonicalCompactJws('AAAA.AAAA.AAB')).toBe(false);
    expect(isCanonicalCompactJws('AAAA..AAAA')).toBe(false);
    expect(isCanonicalCompactJws(42)).toBe(false);
  });
  it('claimsAreCurrent', () => {
    expect(claimsAreCurrent({ exp: 10 }, 9_999)).toBe(true);
    expect(claimsAreCurrent({ exp: 10 }, 10_000)).toBe(false);
    expect(claimsAreCurrent({ exp: Infinity }, 0)).toBe(false);
    expect(claimsAreCurrent({ exp: 100, nbf: 'x' }, 0)).toBe(false);
  });
});
