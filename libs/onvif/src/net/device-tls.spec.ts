import { deviceTlsPolicyOf } from './device-tls';

describe('deviceTlsPolicyOf', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n';
  it('auto verifies only where a CA file gives a chain to check; on always; off never', () => {
    expect(deviceTlsPolicyOf('auto').verify).toBe(false);
    expect(deviceTlsPolicyOf('auto', pem).verify).toBe(true);
    expect(deviceTlsPolicyOf('on').verify).toBe(true);
    expect(deviceTlsPolicyOf('off', pem).verify).toBe(false);
  });
  it('adds the file to the system CAs rather than replacing them', () => {
    const ca = deviceTlsPolicyOf('on', pem).ca!;
    expect(ca[ca.length - 1]).toBe(pem);
    expect(ca.length).toBeGreaterThan(10);
    expect(deviceTlsPolicyOf('on').ca).toBeUndefined();
  });
});
