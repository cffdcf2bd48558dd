import { checkAuthorization, digestAuthorization, digestChallenge, parseDigestHeader } from './digest.auth';

const creds = { username: 'admin', password: 'sim-pass' };
const ok = (n: string): boolean => n === 'abc';

describe('Digest/Basic auth', () => {
  it('accepts a correct Digest answer with and without qop', () => {
    for (const qop of [false, true]) {
      const h = digestAuthorization(digestChallenge('r', 'abc', qop), 'DESCRIBE', 'rtsp://h/main', creds);
      expect(checkAuthorization(h, 'DESCRIBE', creds, 'r', ok, false)).toBe(true);
      expect(checkAuthorization(h, 'SETUP', creds, 'r', ok, false)).toBe(false); // method is covered
    }
  });

  it('refuses wrong password, stale nonce, wrong realm, garbage; Basic only when allowed', () => {
    const wrong = digestAuthorization(digestChallenge('r', 'abc', false), 'GET', '/', { username: 'admin', password: 'x' });
    expect(checkAuthorization(wrong, 'GET', creds, 'r', ok, true)).toBe(false);
    const stale = digestAuthorization(digestChallenge('r', 'zzz', false), 'GET', '/', creds);
    expect(checkAuthorization(stale, 'GET', creds, 'r', ok, true)).toBe(false);
    expect(checkAuthorization(digestAuthorization(digestChallenge('q', 'abc', false), 'GET', '/', creds), 'GET', creds, 'r', ok, true)).toBe(false);
    expect(checkAuthorization('Digest ,,,=', 'GET', creds, 'r', ok, true)).toBe(false);
    expect(checkAuthorization(undefined, 'GET', creds, 'r', ok, true)).toBe(false);
    const basic = `Basic ${Buffer.from('admin:sim-pass').toString('base64')}`;
    expect(checkAuthorization(basic, 'GET', creds, 'r', ok, true)).toBe(true);
    expect(checkAuthorization(basic, 'GET', creds, 'r', ok, false)).toBe(false);
  });

  it('parses quoted and bare parameters', () => {
    expect(parseDigestHeader('Digest realm="a, b", nonce=xyz, qop="auth"')).toEqual({ realm: 'a, b', nonce: 'xyz', qop: 'auth' });
    expect(parseDigestHeader('Basic abc')).toBeUndefined();
  });
});
