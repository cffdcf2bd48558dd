import { JurisdictionTree, type JurisdictionNode } from '../jurisdiction-tree';
import { DEFAULT_PATROL_RULES as RULES } from './patrol.types';
import { addOutcome, fulfilmentRate, rollUpFulfilment, zeroCounts, type FulfilmentCounts } from './fulfilment-rate';
import { classifySlot } from './round-classification';

const node = (id: string, parentId: string | null): JurisdictionNode => ({ id, code: id, name: id, tier: 't', parentId, boundary: null });
// sub-bureau D → station S → posts P1, P2; station O (no rounds)
const tree = new JurisdictionTree([node('D', null), node('S', 'D'), node('P1', 'S'), node('P2', 'S'), node('O', 'D')]);
const counts = (planned: number, fulfilled: number): FulfilmentCounts => ({ ...zeroCounts(), planned, fulfilled });

describe('duty fulfilment rate', () => {
  it('is fulfilled / planned over due slots, hand-computed: 4 slots → missed, late, incomplete, good → 1/4', () => {
    const P = 0;
    const now = 10 * 3600_000;
    const MIN = 60_000;
    const outcomes = [
      classifySlot(P, undefined, RULES, now),
      classifySlot(P, { plannedAtMs: P, startedAtMs: P + 20 * MIN, finishedAtMs: P + 40 * MIN, stopCount: 3, markedStops: 3 }, RULES, now),
      classifySlot(P, { plannedAtMs: P, startedAtMs: P + 5 * MIN, finishedAtMs: P + 40 * MIN, stopCount: 3, markedStops: 2 }, RULES, now),
      classifySlot(P, { plannedAtMs: P, startedAtMs: P + 5 * MIN, finishedAtMs: P + 40 * MIN, stopCount: 3, markedStops: 3 }, RULES, now),
      classifySlot(now, undefined, RULES, now),
    ];
    const c = outcomes.reduce(addOutcome, zeroCounts());
    expect(c).toEqual({ planned: 4, fulfilled: 1, missed: 1, late: 1, incomplete: 1, pending: 1 });
    expect(fulfilmentRate(c)).toBe(0.25);
  });

  it('zero planned rounds is null ("no rounds planned"), also when some are pending', () => {
    expect(fulfilmentRate(zeroCounts())).toBeNull();
    expect(fulfilmentRate({ ...zeroCounts(), pending: 3 })).toBeNull();
    expect(fulfilmentRate(counts(2, 0))).toBe(0);
  });

  it('rolls up by summing numerators and denominators, not averaging rates', () => {
    // P1: 1/1 = 100 %, P2: 1/9 ≈ 11 %; the average of rates would be 55.6 %, the roll-up is 2/10 = 20 %
    const by = new Map([['P1', counts(1, 1)], ['P2', counts(9, 1)]]);
    expect(fulfilmentRate(rollUpFulfilment(tree, 'S', by))).toBe(0.2);
    expect(rollUpFulfilment(tree, 'D', new Map([...by, ['S', counts(10, 8)]]))).toMatchObject({ planned: 20, fulfilled: 10 });
    expect(fulfilmentRate(rollUpFulfilment(tree, 'O', by))).toBeNull();
  });
});
