import { Injectable } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { LeaseRepository, UsersRepository } from '@tiergate/persistence';
import { leaseConflict, LeaseView, leaseView, opensControl, PTZ_LEASE_MS, ptzLeaseKey } from './ptz-lease.rules';

/**
 * The steering lease of each camera, in the shared `leases` table (LeaseRepository, key `ptz:<cameraId>`), so every
 * gateway agrees on who steers: taken or renewed by each command, refused (409) while another user holds it.
 */
@Injectable()
export class PtzLeaseService {
  constructor(
    private readonly leases: LeaseRepository,
    private readonly users: UsersRepository,
  ) {}

  /** Takes or renews the lease for the caller; `opened` when this starts a new period of control (audited). */
  async take(cameraId: string, principal: Principal): Promise<{ opened: boolean; lease: LeaseView }> {
    const key = ptzLeaseKey(cameraId);
    const before = await this.leases.holding(key);
    const now = new Date();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (await this.leases.acquire(key, principal.userId, PTZ_LEASE_MS)) {
        const held = (await this.leases.holding(key)) ?? { holder: principal.userId, expiresAt: new Date(Date.now() + PTZ_LEASE_MS) };
        return { opened: opensControl(before, principal.userId, now), lease: leaseView(held, principal.username, principal.userId) };
      }
      const other = await this.leases.holding(key);
      if (other) throw leaseConflict(await this.nameOf(other.holder), other.expiresAt);
      // it expired between the two statements: try once more
    }
    throw leaseConflict('another user', new Date(Date.now() + PTZ_LEASE_MS));
  }

  /** Who steers the camera now, or null. */
  async current(cameraId: string, userId: string): Promise<LeaseView | null> {
    const held = await this.leases.holding(ptzLeaseKey(cameraId));
    return held ? leaseView(held, await this.nameOf(held.holder), userId) : null;
  }

  /** Gives the caller's lease up at once (another user may steer without waiting); nothing when it is not theirs. */
  async release(cameraId: string, principal: Principal): Promise<void> {
    await this.leases.release(ptzLeaseKey(cameraId), principal.userId);
  }

  private async nameOf(userId: string): Promise<string> {
    return (await this.users.get(userId))?.username ?? 'another user';
  }
}
