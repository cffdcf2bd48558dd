import type { AccessSnapshotGrant, AccessSnapshotMessage } from '@tiergate/contracts';

/** A grant as access checks hold it: times in epoch milliseconds. */
export interface HeldGrant {
  id: string;
  cameraId: string | null;
  jurisdictionId: string | null;
  granteeUserId: string | null;
  granteeJurisdictionId: string | null;
  startsAt: number;
  expiresAt: number;
}

/** A grant in force at `now`: started and not yet expired (revoked ones are not in a snapshot at all). */
export const inForce = (g: HeldGrant, now: number): boolean => g.startsAt <= now && now < g.expiresAt;

/**
 * Pure: the grants of a snapshot indexed for access checks: by id (a stream token names its grant), by
 * grantee user and by grantee node. Built once per snapshot; a check is a few map lookups.
 */
export class CompiledGrants {
  private readonly byId = new Map<string, HeldGrant>();
  private readonly byUser = new Map<string, HeldGrant[]>();
  private readonly byNode = new Map<string, HeldGrant[]>();

  constructor(grants: Iterable<HeldGrant>) {
    for (const g of grants) {
      this.byId.set(g.id, g);
      if (g.granteeUserId) push(this.byUser, g.granteeUserId, g);
      if (g.granteeJurisdictionId) push(this.byNode, g.granteeJurisdictionId, g);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<HeldGrant> {
    return this.byId.values();
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** True when the grant is in the snapshot and in force at `now`. */
  isInForce(id: string, now: number): boolean {
    const g = this.byId.get(id);
    return g !== undefined && inForce(g, now);
  }

  /** The grants in force at `now` to this user or to one of these nodes (its home and the home's ancestors). */
  inForceFor(userId: string, granteeNodes: readonly string[], now: number): HeldGrant[] {
    const out: HeldGrant[] = [];
    for (const g of this.byUser.get(userId) ?? []) if (inForce(g, now)) out.push(g);
    for (const node of granteeNodes) for (const g of this.byNode.get(node) ?? []) if (inForce(g, now)) out.push(g);
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Pure: a grant of the wire format as held in memory. */
export function heldGrantOf(g: AccessSnapshotGrant): HeldGrant {
  return { ...g, startsAt: Date.parse(g.startsAt), expiresAt: Date.parse(g.expiresAt) };
}

/** Pure: a grant row (or any record with Date times) as it goes on the wire. */
export function snapshotGrantOf(g: { id: string; cameraId: string | null; jurisdictionId: string | null; granteeUserId: string | null; granteeJurisdictionId: string | null; startsAt: Date; expiresAt: Date }): AccessSnapshotGrant {
  return {
    id: g.id,
    cameraId: g.cameraId,
    jurisdictionId: g.jurisdictionId,
    granteeUserId: g.granteeUserId,
    granteeJurisdictionId: g.granteeJurisdictionId,
    startsAt: new Date(g.startsAt).toISOString(),
    expiresAt: new Date(g.expiresAt).toISOString(),
  };
}

/** Pure: checks the shape of a snapshot from the bus (it is signed, but a bug elsewhere must not break access checks). */
export function isAccessSnapshot(m: unknown): m is AccessSnapshotMessage {
  if (typeof m !== 'object' || m === null) return false;
  const s = m as Partial<AccessSnapshotMessage>;
  return (
    Number.isSafeInteger(s.version) &&
    typeof s.compiledAt === 'string' &&
    typeof s.treeVersion === 'string' &&
    Array.isArray(s.grants) &&
    s.grants.every((g) => typeof g?.id === 'string' && typeof g.startsAt === 'string' && typeof g.expiresAt === 'string')
  );
}
