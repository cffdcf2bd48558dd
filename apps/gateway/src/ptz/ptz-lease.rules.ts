import { Role, TiergateError } from '@tiergate/domain';

/**
 * Pure rules of PTZ steering (docs/ptz.md): who may steer, the per-camera steering lease (the first steering user
 * holds it for PTZ_LEASE_MS after their last command; anyone else is refused with who holds it and until when), and
 * when a command opens a new period of control (the one audit row of a drag or a run of button presses).
 */

export const PTZ_LEASE_MS = 30_000;
export const STEERING_ROLES: readonly Role[] = ['admin', 'operator'];

/** The lease's name in the `leases` table (shared by every gateway). */
export const ptzLeaseKey = (cameraId: string): string => `ptz:${cameraId}`;

export interface LeaseHolding {
  holder: string;
  expiresAt: Date;
}

export interface LeaseView {
  username: string;
  until: string;
  mine: boolean;
}

/** A role that may not steer is refused whatever the camera (so this says nothing about which cameras exist). */
export function roleRefusal(role: Role): TiergateError | undefined {
  if (STEERING_ROLES.includes(role)) return undefined;
  return new TiergateError('FORBIDDEN', `steering a camera needs the admin or operator role; a ${role} may watch it but not move it`, { reason: 'role' });
}

/** A camera seen through a grant is watched, never steered: grants share viewing, not control. */
export function accessRefusal(via: 'scope' | 'grant'): TiergateError | undefined {
  if (via === 'scope') return undefined;
  return new TiergateError('FORBIDDEN', 'this camera is shared with you by a grant, which lets you watch it; steering needs the camera in your own jurisdiction', { reason: 'grant' });
}

/** Whether taking the lease opens a new period of control: nobody held it (or it had expired), or someone else did. */
export const opensControl = (before: LeaseHolding | undefined, userId: string, now: Date): boolean =>
  !before || before.holder !== userId || before.expiresAt.getTime() <= now.getTime();

/** The 409 for a user who asks while someone else holds the lease. */
export function leaseConflict(holderName: string, until: Date): TiergateError {
  return new TiergateError('CONFLICT', `this camera is being steered by ${holderName} until ${until.toISOString()}`, {
    reason: 'ptz-lease',
    lease: { username: holderName, until: until.toISOString() },
  });
}

export function leaseView(holding: LeaseHolding, holderName: string, userId: string): LeaseView {
  return { username: holderName, until: holding.expiresAt.toISOString(), mine: holding.holder === userId };
}
