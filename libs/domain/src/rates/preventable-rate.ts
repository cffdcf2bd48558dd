import { RateValue } from './rate-value';

/** Residents per unit of the preventable-case rate. */
export const RESIDENTS_PER_UNIT = 10_000;

export interface PreventableRate {
  cases: number;
  population: number | null;
  /** cases × 10,000 / population; null when the population is unknown or 0. */
  rate: RateValue;
}

/** 可防性案件发案率: preventable-type incidents per 10,000 residents. */
export function preventableRate(cases: number, population: number | null): PreventableRate {
  const rate: RateValue = population !== null && population > 0 ? { value: (cases * RESIDENTS_PER_UNIT) / population } : { value: null, reason: 'NO_POPULATION' };
  return { cases, population, rate };
}

/**
 * The population of every node of a tree: its own figure when one is given; else the sum of its children's
 * populations when every child has one; else unknown (null). A leaf without a figure is unknown. A given 0
 * is kept (and makes the rate null, as an unknown population does).
 */
export function rolledUpPopulations(ids: readonly string[], childrenOf: (id: string) => readonly string[], own: ReadonlyMap<string, number>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const visit = (id: string): number | null => {
    if (out.has(id)) return out.get(id)!;
    let value: number | null;
    if (own.has(id)) value = own.get(id)!;
    else {
      const children = childrenOf(id);
      value = children.length === 0 ? null : 0;
      for (const c of children) {
        const p = visit(c);
        if (p === null) value = null;
        else if (value !== null) value += p;
      }
    }
    out.set(id, value);
    return value;
  };
  for (const id of ids) visit(id);
  return out;
}
