import { endpointReferenceFor, hostFor, serialFor } from './camera.identity';

describe('camera identity', () => {
  it('gives consecutive loopback addresses rolling over the last octet', () => {
    expect(hostFor('127.0.1.1', 0)).toBe('127.0.1.1');
    expect(hostFor('127.0.1.1', 1)).toBe('127.0.1.2');
    expect(hostFor('127.0.1.1', 253)).toBe('127.0.1.254');
    expect(hostFor('127.0.1.1', 254)).toBe('127.0.2.1');
    expect(hostFor('127.0.1.250', 10)).toBe('127.0.2.6');
    expect(() => hostFor('10.0.0.1', 0)).toThrow(/loopback/);
  });

  it('makes stable urn:uuid endpoint references and serials', () => {
    const a = endpointReferenceFor('127.0.1.1', 8080);
    expect(a).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(endpointReferenceFor('127.0.1.1', 8080)).toBe(a);
    expect(endpointReferenceFor('127.0.1.2', 8080)).not.toBe(a);
    expect(serialFor(4, false)).toBe('SIM000005');
    const long = serialFor(4, true);
    expect(long).toMatch(/^\d{20}$/);
    expect(String(Number(long))).not.toBe(long); // the point of the quirk: a JS number cannot hold it
  });
});
