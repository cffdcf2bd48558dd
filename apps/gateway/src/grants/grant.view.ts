import type { GrantRecord, GrantWithObjectNode } from '@tiergate/persistence';
import { snapshotGrantOf } from '@tiergate/access';

/** A grant as stored (GrantsRepository owns the shape). */
export type GrantRow = GrantRecord;

/** The names of what a grant shares and with whom, as they are now (null where there is none or it is gone). */
export interface GrantNames {
  cameraName: string | null;
  jurisdictionName: string | null;
  granteeUsername: string | null;
  granteeJurisdictionName: string | null;
}

export interface GrantView extends Omit<GrantRow, 'startsAt' | 'expiresAt' | 'revokedAt' | 'createdAt'>, GrantNames {
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

/**
 * The wire shape of the access snapshot (libs/access `snapshotGrantOf`: ids and times) plus what only the API
 * shows: reason, revocation, creator, state and names (`nodeName` gives a jurisdiction's name from the tree).
 */
export const toGrantView = (g: GrantRow & Partial<Pick<GrantWithObjectNode, 'cameraName' | 'granteeUsername'>>, now: Date, nodeName: (id: string) => string | undefined): GrantView => ({
  ...snapshotGrantOf(g),
  reason: g.reason,
  revokedAt: g.revokedAt ? new Date(g.revokedAt).toISOString() : null,
  createdBy: g.createdBy,
  createdAt: new Date(g.createdAt).toISOString(),
  state: grantStateOf(g, now),
  cameraName: g.cameraName ?? null,
  jurisdictionName: g.jurisdictionId ? nodeName(g.jurisdictionId) ?? null : null,
  granteeUsername: g.granteeUsername ?? null,
  granteeJurisdictionName: g.granteeJurisdictionId ? nodeName(g.granteeJurisdictionId) ?? null : null,
});
