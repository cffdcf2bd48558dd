import { DEVICE_PASSWORD_HASH, deviceMayCall, deviceUsername, isDeviceUsername } from './device-account';
import { deviceSecretMatches, hashDeviceSecret, newDeviceSecret } from './device-secret';
import { verifyPassword } from './password-hasher';

describe('wall device secrets', () => {
  it('a new secret is 43 base64url characters (32 random bytes) and differs each time', () => {
    const a = newDeviceSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newDeviceSecret()).not.toBe(a);
  });

  it('matches only the secret the hash was made from; the hash does not contain the secret', () => {
    const secret = newDeviceSecret();
    const stored = hashDeviceSecret(secret);
    expect(stored).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(deviceSecretMatches(secret, stored)).toBe(true);
    expect(deviceSecretMatches(newDeviceSecret(), stored)).toBe(false);
    // one character changed
    const other = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expect(deviceSecretMatches(other, stored)).toBe(false);
  });

  it('a malformed secret or stored value never matches', () => {
    const secret = newDeviceSecret();
    const stored = hashDeviceSecret(secret);
    for (const bad of [undefined, null, 42, '', `${secret}=`, secret.slice(1), `${secret} `]) expect(deviceSecretMatches(bad, stored)).toBe(false);
    expect(deviceSecretMatches(secret, undefined)).toBe(false);
    expect(deviceSecretMatches(secret, stored.slice(7))).toBe(false);
    expect(deviceSecretMatches(secret, 'sha256$00')).toBe(false);
  });
});

describe('wall device accounts', () => {
  it('are named device:<name>, a name the users API cannot create (it refuses ":")', () => {
    expect(deviceUsername('北站大屏')).toBe('device:北站大屏');
    expect(isDeviceUsername('device:北站大屏')).toBe(true);
    expect(isDeviceUsername('admin')).toBe(false);
    expect(isDeviceUsername('devices')).toBe(false);
    expect(isDeviceUsername(undefined)).toBe(false);
  });

  it('no password logs into one', async () => {
    for (const pw of ['', 'admin-test-password', DEVICE_PASSWORD_HASH]) expect(await verifyPassword(pw, DEVICE_PASSWORD_HASH)).toBe(false);
  });

  it('may read, renew, start a live view and take an event ticket; every other write and an unknown route are refused', () => {
    expect(deviceMayCall('GET', '/api/cameras')).toBe(true);
    expect(deviceMayCall('HEAD', undefined)).toBe(true);
    expect(deviceMayCall('POST', '/api/cameras/:id/live')).toBe(true);
    expect(deviceMayCall('post', '/api/auth/refresh')).toBe(true);
    expect(deviceMayCall('POST', '/api/events/ticket')).toBe(true);
    for (const [m, p] of [['POST', '/api/cameras'], ['DELETE', '/api/cameras/:id'], ['POST', '/api/walls'], ['POST', '/api/auth/logout'], ['POST', '/api/auth/password'], ['POST', '/api/alarms/:id/ack'], ['PATCH', '/api/cameras/:id/live'], ['POST', undefined]] as const) {
      expect(deviceMayCall(m, p)).toBe(false);
    }
  });
});
