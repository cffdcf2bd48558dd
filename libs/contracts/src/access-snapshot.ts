import { TOPIC_ROOT } from './topics';

/**
 * The access snapshot: every grant that has not ended (not revoked, not expired; including those that
 * start later) and the version of the jurisdiction tree, compiled by the acting partitioner and
 * published retained on `AccessTopics.snapshot` (signed: a forged one could share any camera). Gateways
 * and workers answer access checks from it in memory; each checks `startsAt`/`expiresAt` against its own
 * clock, so a grant stops working at its expiry everywhere without a new snapshot. `version` grows
 * with every snapshot of any partitioner (the lease fence): a process ignores a version it has passed.
 */
export const AccessTopics = {
  snapshot: `${TOPIC_ROOT}/access/snapshot`,
  /** A grant was created or revoked (qos 1): the acting partitioner compiles and publishes a new snapshot. */
  grantsChanged: `${TOPIC_ROOT}/access/grants-changed`,
} as const;

export interface AccessSnapshotGrant {
  id: string;
  cameraId: string | null;
  jurisdictionId: string | null;
  granteeUserId: string | null;
  granteeJurisdictionId: string | null;
  /** ISO 8601. */
  startsAt: string;
  /** ISO 8601. */
  expiresAt: string;
}

export interface AccessSnapshotMessage {
  version: number;
  /** ISO 8601: when the grants were read. */
  compiledAt: string;
  /** The partitioner process that compiled it. */
  compiledBy: string;
  /** The jurisdiction tree's version (libs/persistence `treeVersionOf`) the snapshot was compiled with. */
  treeVersion: string;
  grants: AccessSnapshotGrant[];
}

export interface GrantsChangedMessage {
  grantId: string;
  change: 'created' | 'revoked';
  at: string;
}
