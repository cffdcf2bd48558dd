import { hostsOf, parseCidr } from './cidr';

describe('parseCidr', () => {
  it('expands a /24 without network and broadcast', () => {
    const r = parseCidr('127.0.3.77/24');
    expect(r).toMatchObject({ cidr: '127.0.3.0/24', size: 254 });
    const hosts = [...hostsOf(r)];
    expect(hosts[0]).toBe('127.0.3.1');
    expect(hosts[253]).toBe('127.0.3.254');
  });
  it('keeps /31 and /32 whole', () => {
    expect([...hostsOf(parseCidr('10.0.0.5'))]).toEqual(['10.0.0.5']);
    expect([...hostsOf(parseCidr('10.0.0.4/31'))]).toEqual(['10.0.0.4', '10.0.0.5']);
  });
  it('accepts a /16 and refuses a /15', () => {
    expect(parseCidr('172.16.0.0/16').size).toBe(65534);
    expect(() => parseCidr('172.16.0.0/15')).toThrow(expect.objectContaining({ code: 'RANGE_TOO_LARGE' }));
  });
  it.each(['', 'abc', '300.1.1.1/24', '1.2.3.4/33', '1.2.3/24', '1.2.3.4/24/1'])('refuses %p', (s) => {
    expect(() => parseCidr(s)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
