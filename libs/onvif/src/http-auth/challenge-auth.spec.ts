import { authorizationHeader, parseChallenge, pickChallenge } from './challenge-auth';

describe('rtsp auth', () => {
  it('parses digest challenges with quoted commas', () => {
    expect(parseChallenge('Digest realm="a, b", nonce="n1", stale=FALSE')).toEqual({ scheme: 'digest', params: { realm: 'a, b', nonce: 'n1', stale: 'FALSE' } });
    expect(parseChallenge('Bearer x')).toBeUndefined();
  });
  it('prefers digest', () => {
    expect(pickChallenge(['Basic realm="x"', 'Digest realm="y", nonce="z"'])?.scheme).toBe('digest');
  });
  it('computes the RFC 2617 example response', () => {
    // RFC 2617 section 3.5 example (qop=auth).
    const c = parseChallenge('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')!;
    const h = authorizationHeader(c, 'GET', '/dir/index.html', 'Mufasa', 'Circle Of Life', '0a4f113b');
    expect(h).toContain('response="6629fae49393a05397450978507c4ef1"');
  });
  it('builds basic', () => {
    expect(authorizationHeader({ scheme: 'basic', params: {} }, 'DESCRIBE', 'rtsp://h/x', 'u', 'p')).toBe('Basic dTpw');
  });
});
