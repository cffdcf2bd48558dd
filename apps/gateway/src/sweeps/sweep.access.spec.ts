import { maySeeSweep } from './sweep.access';

describe('maySeeSweep', () => {
  const starter = { userId: 'u1', role: 'operator' as const };
  const sweep = { createdBy: 'u1' };
  it('lets the starter see its sweep, whatever its role', () => {
    expect(maySeeSweep(starter, new Set(), sweep, 'post-1')).toBe(true);
  });
  it('lets an admin see it when its subtree holds the starter\'s home, and the built-in admin always', () => {
    const admin = { userId: 'a', role: 'admin' as const };
    expect(maySeeSweep(admin, new Set(['station-1', 'post-1']), sweep, 'post-1')).toBe(true);
    expect(maySeeSweep(admin, new Set(['station-2']), sweep, 'post-1')).toBe(false);
    expect(maySeeSweep(admin, undefined, sweep, 'post-1')).toBe(true);
  });
  it('refuses other operators, and admins of a starter without a home or that is gone', () => {
    expect(maySeeSweep({ userId: 'u2', role: 'operator' }, new Set(['post-1']), sweep, 'post-1')).toBe(false);
    expect(maySeeSweep({ userId: 'a', role: 'admin' }, new Set(['post-1']), sweep, null)).toBe(false);
    expect(maySeeSweep({ userId: 'a', role: 'admin' }, new Set(['post-1']), sweep, undefined)).toBe(false);
    expect(maySeeSweep({ userId: 'a', role: 'admin' }, new Set(['post-1']), { createdBy: null }, undefined)).toBe(false);
    expect(maySeeSweep({ userId: 'a', role: 'admin' }, undefined, { createdBy: null }, undefined)).toBe(true);
  });
});
