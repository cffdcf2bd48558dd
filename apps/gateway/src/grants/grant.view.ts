import type { GrantRecord } from '@tiergate/persistence';
import { snapshotGrantOf } from '@tiergate/access';

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

/** The wire shape of the access snapshot (libs/access `snapshotGrantOf`: ids and times) plus what only the API shows. */
export const toGrantView = (g: GrantRow, now: Date): GrantView => ({
  ...snapshotGrantOf(g),
  reason: g.reason,
  revokedAt: g.revokedAt ? new Date(g.revokedAt).toISOString() : null,
  createdBy: g.createdBy,
  createdAt: new Date(g.createdAt).toISOString(),
  state: grantStateOf(g, now),
});
