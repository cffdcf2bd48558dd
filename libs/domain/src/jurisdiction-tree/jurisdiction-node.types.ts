import type { Geometry } from '../geo';

/** One jurisdiction as stored: a flat row whose `parentId` links it into the tree. */
export interface JurisdictionNode {
  id: string;
  /** Opaque string code (e.g. a 20-digit GB/T 28181 code); never parsed as a number. */
  code: string;
  name: string;
  tier: string;
  parentId: string | null;
  boundary: Geometry | null;
}

/** Ordering of codes used for ties: plain UTF-16 code-unit comparison, independent of locale. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
