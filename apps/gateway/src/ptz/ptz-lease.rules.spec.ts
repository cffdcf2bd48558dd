import { accessRefusal, leaseConflict, leaseView, opensControl, ptzLeaseKey, roleRefusal } from './ptz-lease.rules';

describe('PTZ steering rules', () => {
  const now = new Date('2026-12-03T08:00:00Z');
  const later = new Date('2026-12-03T08:00:30Z');

  it('admins and operators steer; viewers and analysts are refused with a sentence naming their role', () => {
    expect(roleRefusal('admin')).toBeUndefined();
    expect(roleRefusal('operator')).toBeUndefined();
    expect(roleRefusal('viewer')).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('a viewer may watch it but not move it') });
    expect(roleRefusal('analyst')?.status).toBe(403);
  });

  it('a camera seen through a grant is not steered', () => {
    expect(accessRefusal('scope')).toBeUndefined();
    expect(accessRefusal('grant')).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'grant' } });
  });

  it('a command opens a new period of control unless the same user still holds the lease', () => {
    expect(opensControl(undefined, 'u1', now)).toBe(true);
    expect(opensControl({ holder: 'u1', expiresAt: later }, 'u1', now)).toBe(false);
    expect(opensControl({ holder: 'u1', expiresAt: now }, 'u1', now)).toBe(true); // expired at this instant
    expect(opensControl({ holder: 'u2', expiresAt: later }, 'u1', now)).toBe(true);
  });

  it('a refusal says who holds the camera and until when (409), and the view says whether it is mine', () => {
    const e = leaseConflict('op-a', later);
    expect(e.status).toBe(409);
    expect(e.toJSON()).toEqual({ code: 'CONFLICT', message: 'this camera is being steered by op-a until 2026-12-03T08:00:30.000Z', reason: 'ptz-lease', lease: { username: 'op-a', until: '2026-12-03T08:00:30.000Z' } });
    expect(leaseView({ holder: 'u1', expiresAt: later }, 'op-a', 'u1')).toEqual({ username: 'op-a', until: '2026-12-03T08:00:30.000Z', mine: true });
    expect(leaseView({ holder: 'u1', expiresAt: later }, 'op-a', 'u2').mine).toBe(false);
    expect(ptzLeaseKey('3f0c0000-0000-4000-8000-000000000000').length).toBeLessThanOrEqual(64);
  });
});
