import type { JurisdictionTree } from '../jurisdiction-tree';
import type { SlotOutcome } from './round-classification';

/** The counts behind a duty fulfilment rate: numerator `fulfilled`, denominator `planned`. */
export interface FulfilmentCounts {
  /** Due slots: missed, or with a finished round. */
  planned: number;
  /** Finished on time and completed. */
  fulfilled: number;
  missed: number;
  late: number;
  incomplete: number;
  /** Not yet due (before plannedAt + missedAfter, or in progress): outside the rate. */
  pending: number;
}

export const zeroCounts = (): FulfilmentCounts => ({ planned: 0, fulfilled: 0, missed: 0, late: 0, incomplete: 0, pending: 0 });

export function addOutcome(c: FulfilmentCounts, o: SlotOutcome): FulfilmentCounts {
  return {
    planned: c.planned + (o.due ? 1 : 0),
    fulfilled: c.fulfilled + (o.fulfilled ? 1 : 0),
    missed: c.missed + (o.status === 'missed' ? 1 : 0),
    late: c.late + (o.due && o.late ? 1 : 0),
    incomplete: c.incomplete + (o.status === 'finished' && !o.completed ? 1 : 0),
    pending: c.pending + (o.due ? 0 : 1),
  };
}

export function sumCounts(a: FulfilmentCounts, b: FulfilmentCounts): FulfilmentCounts {
  return { planned: a.planned + b.planned, fulfilled: a.fulfilled + b.fulfilled, missed: a.missed + b.missed, late: a.late + b.late, incomplete: a.incomplete + b.incomplete, pending: a.pending + b.pending };
}

/** fulfilled / planned; null when nothing was planned ("no rounds planned", never 0 or 1). */
export function fulfilmentRate(c: FulfilmentCounts): number | null {
  return c.planned === 0 ? null : c.fulfilled / c.planned;
}

/**
 * The counts of `rootId`'s whole subtree: numerators and denominators summed over every node in it (never
 * an average of the nodes' rates), so a sub-bureau's rate weighs each planned round alike.
 */
export function rollUpFulfilment(tree: JurisdictionTree, rootId: string, byJurisdiction: ReadonlyMap<string, FulfilmentCounts>): FulfilmentCounts {
  let total = zeroCounts();
  for (const id of tree.subtreeIds(rootId)) {
    const c = byJurisdiction.get(id);
    if (c) total = sumCounts(total, c);
  }
  return total;
}
