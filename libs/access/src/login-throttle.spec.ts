import { LoginThrottle, lockSeconds } from './login-throttle';

describe('lockSeconds', () => {
  it('doubles from the first lock and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => lockSeconds(n))).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });
});

describe('LoginThrottle', () => {
  const limits = { usernameFailures: 3, usernameWindowSeconds: 60, firstLockSeconds: 30, maxLockSeconds: 600, addressFailures: 5, addressWindowSeconds: 60 };

  it('locks a username after its failures, case-insensitively, and for the right password too', async () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 2; i++) await t.failed('Alice', '10.0.0.1');
    expect(await t.retryAfterSeconds('alice', '10.0.0.2')).toBe(0);
    await t.failed('ALICE', '10.0.0.3');
    const wait = await t.retryAfterSeconds('alice', '10.0.0.9');
    expect(wait).toBeGreaterThan(25);
    expect(wait).toBeLessThanOrEqual(30);
    expect(await t.retryAfterSeconds('bob', '10.0.0.9')).toBe(0);
  });

  it('doubles the next lock of the same username', async () => {
    const t = new LoginThrottle({ ...limits, firstLockSeconds: 1 });
    for (let i = 0; i < 3; i++) await t.failed('carol', undefined);
    expect(await t.retryAfterSeconds('carol', undefined)).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await t.retryAfterSeconds('carol', undefined)).toBe(0);
    for (let i = 0; i < 3; i++) await t.failed('carol', undefined);
    expect(await t.retryAfterSeconds('carol', undefined)).toBe(2);
  });

  it('refuses an address that fails too often across usernames, and only failures count', async () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 4; i++) await t.failed(`user${i}`, '10.0.0.5');
    expect(await t.retryAfterSeconds('someone', '10.0.0.5')).toBe(0);
    await t.failed('user4', '10.0.0.5');
    expect(await t.retryAfterSeconds('someone', '10.0.0.5')).toBeGreaterThan(0);
    expect(await t.retryAfterSeconds('someone', '10.0.0.6')).toBe(0);
  });

  it('forgets a username after a success', async () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 2; i++) await t.failed('dave', undefined);
    await t.succeeded('Dave');
    for (let i = 0; i < 2; i++) await t.failed('dave', undefined);
    expect(await t.retryAfterSeconds('dave', undefined)).toBe(0);
  });
});
