import type { GrantRecord } from '@tiergate/persistence';

/** A grant as stored (GrantsRepository owns the shape). */
export type GrantRow = GrantRecord;

export interface GrantView extends Omit<GrantRow, 'startsAt' | 'expiresAt' | 'revokedAt' | 'createdAt'> {
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
  state: 'active' | 'pending' | 'expired' | 'revoked';
}

export function grantStateOf(g: Pick<GrantRow, 'startsAt' | 'expiresAt' | 'revokedAt'>, now: Date): GrantView['state'] {
  if (g.revokedAt) return 'revoked';
  if (new Date(g.expiresAt) <= now) return 'expired';
  return new Date(g.startsAt) > now ? 'pending' : 'active';
}

export const toGrantView = (g: GrantRow, now: Date): GrantView => ({
  id: g.id,
  cameraId: g.cameraId,
  jurisdictionId: g.jurisdictionId,
  granteeUserId: g.granteeUserId,
  granteeJurisdictionId: g.granteeJurisdictionId,
  reason: g.reason,
  startsAt: new Date(g.startsAt).toISOString(),
  expiresAt: new Date(g.expiresAt).toISOString(),
  revokedAt: g.revokedAt ? new Date(g.revokedAt).toISOString() : null,
  createdBy: g.createdBy,
  createdAt: new Date(g.createdAt).toISOString(),
  state: grantStateOf(g, now),
});
