import { metricsAccess } from './metrics-access';

describe('metricsAccess', () => {
  const token = 'metrics-token-0123456789';
  it('is off, open or bound to a bearer token as configured', () => {
    expect(metricsAccess({ enabled: false, token: '' }, undefined)).toBe('disabled');
    expect(metricsAccess({ enabled: false, token }, `Bearer ${token}`)).toBe('disabled');
    expect(metricsAccess({ enabled: true, token: '' }, undefined)).toBe('allowed');
    expect(metricsAccess({ enabled: true, token }, `Bearer ${token}`)).toBe('allowed');
    expect(metricsAccess({ enabled: true, token }, `bearer ${token}`)).toBe('allowed');
    for (const h of [undefined, '', 'Bearer', `Bearer ${token}x`, `Basic ${token}`, `Bearer ${token.slice(1)}`, `Bearer ${token} extra`]) {
      expect(metricsAccess({ enabled: true, token }, h)).toBe('unauthenticated');
    }
  });
});
