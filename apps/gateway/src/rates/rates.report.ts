import {
  addMonitoringTotals,
  captureRate,
  declineRate,
  INCIDENT_TYPES,
  JurisdictionNode,
  JurisdictionTree,
  MonitoringTotals,
  monitoringRate,
  monitoringTotals,
  preventableRate,
  RatePeriod,
  RateValue,
} from '@tiergate/domain';
import type { PeriodFigures, StandingFigures } from './rate-figures.reader';

/** Pure: the answer of GET /api/rates from the raw figures (docs/methods.md gives every formula). */

export interface PeriodView {
  from: string;
  to: string;
}

export interface DeclineView {
  /** A type code, or `all` for every type together. */
  type: string;
  current: number;
  previousPeriod: { count: number; rate: RateValue };
  samePeriodLastYear: { count: number; rate: RateValue };
}

export interface PreventableView {
  cases: number;
  /** Cases × 10,000 / population. */
  per10k: RateValue;
}

export interface CaptureView {
  checks: number;
  captures: number;
  rate: RateValue;
}

export interface MonitoringView {
  /** The period measured: the requested one clipped to the time of the query. */
  measured: PeriodView;
  cameras: number;
  watchedCameras: number;
  /** watchedCameras / cameras. */
  cameraShare: RateValue;
  watchedHours: number;
  cameraHours: number;
  /** watchedHours / cameraHours. */
  hourShare: RateValue;
}

export interface Compared<T> {
  current: T;
  previousPeriod: T;
  samePeriodLastYear: T;
}

export interface NodeRatesView {
  /** Null for the whole tree (the built-in admin without a node). */
  jurisdiction: { id: string; code: string; name: string; tier: string } | null;
  incidentDecline: DeclineView[];
  preventableCases: { population: number | null } & Compared<PreventableView>;
  stopCheckCapture: Compared<CaptureView>;
  monitoring: Compared<MonitoringView>;
}

export interface RatesView {
  period: PeriodView;
  previousPeriod: PeriodView;
  samePeriodLastYear: PeriodView;
  preventableTypes: string[];
  /** The node asked for, its whole subtree rolled up. */
  node: NodeRatesView;
  /** Each child of the node (the tier below), each with its subtree rolled up. */
  children: NodeRatesView[];
}

export interface RatesInputs {
  tree: JurisdictionTree;
  /** The node asked for; undefined: the whole tree (its roots are the children). */
  node?: JurisdictionNode;
  preventableTypes: readonly string[];
  standing: StandingFigures;
  /** The population of every node, rolled up (rolledUpPopulations). */
  populations: ReadonlyMap<string, number | null>;
  current: PeriodFigures;
  previous: PeriodFigures;
  lastYear: PeriodFigures;
}

interface Totals {
  incidents: Map<string, number>;
  checks: number;
  captures: number;
  monitoring: MonitoringTotals;
}

const HOUR_MS = 3_600_000;
const iso = (p: RatePeriod): PeriodView => ({ from: new Date(p.from).toISOString(), to: new Date(p.to).toISOString() });

export function ratesReport(input: RatesInputs): RatesView {
  const { tree, node } = input;
  const children = node ? tree.children(node.id) : tree.roots();
  const subtree = (n: JurisdictionNode | undefined): readonly string[] => (n ? [...tree.subtreeIds(n.id)] : tree.all().map((x) => x.id));
  const population = (n: JurisdictionNode | undefined): number | null => {
    if (n) return input.populations.get(n.id) ?? null;
    let sum = 0;
    for (const r of tree.roots()) {
      const p = input.populations.get(r.id) ?? null;
      if (p === null) return null;
      sum += p;
    }
    return tree.roots().length > 0 ? sum : null;
  };
  const view = (n: JurisdictionNode | undefined): NodeRatesView => nodeView(n, subtree(n), population(n), input);
  return {
    period: iso(input.current.period),
    previousPeriod: iso(input.previous.period),
    samePeriodLastYear: iso(input.lastYear.period),
    preventableTypes: [...input.preventableTypes],
    node: view(node),
    children: children.map((c) => view(c)),
  };
}

function nodeView(n: JurisdictionNode | undefined, ids: readonly string[], population: number | null, input: RatesInputs): NodeRatesView {
  const cur = totalsOf(ids, input.current, input.standing);
  const prev = totalsOf(ids, input.previous, input.standing);
  const last = totalsOf(ids, input.lastYear, input.standing);
  const types = ['all', ...INCIDENT_TYPES];
  const countOf = (t: Totals, type: string): number => (type === 'all' ? sum(t.incidents.values()) : (t.incidents.get(type) ?? 0));
  const incidentDecline = types.map((type): DeclineView => {
    const c = countOf(cur, type);
    return {
      type,
      current: c,
      previousPeriod: { count: countOf(prev, type), rate: declineRate(c, countOf(prev, type)).rate },
      samePeriodLastYear: { count: countOf(last, type), rate: declineRate(c, countOf(last, type)).rate },
    };
  });
  const preventable = (t: Totals): PreventableView => {
    const cases = sum(input.preventableTypes.map((type) => t.incidents.get(type) ?? 0));
    return { cases, per10k: preventableRate(cases, population).rate };
  };
  const capture = (t: Totals): CaptureView => {
    const r = captureRate(t.captures, t.checks);
    return { checks: r.checks, captures: r.captures, rate: r.rate };
  };
  const monitoring = (t: Totals, f: PeriodFigures): MonitoringView => {
    const r = monitoringRate(t.monitoring);
    return { measured: iso(f.monitoredPeriod), cameras: r.cameras, watchedCameras: r.watchedCameras, cameraShare: r.cameraShare, watchedHours: r.watchedMs / HOUR_MS, cameraHours: r.cameraMs / HOUR_MS, hourShare: r.hourShare };
  };
  return {
    jurisdiction: n ? { id: n.id, code: n.code, name: n.name, tier: n.tier } : null,
    incidentDecline,
    preventableCases: { population, current: preventable(cur), previousPeriod: preventable(prev), samePeriodLastYear: preventable(last) },
    stopCheckCapture: { current: capture(cur), previousPeriod: capture(prev), samePeriodLastYear: capture(last) },
    monitoring: { current: monitoring(cur, input.current), previousPeriod: monitoring(prev, input.previous), samePeriodLastYear: monitoring(last, input.lastYear) },
  };
}

/** The figures of a set of nodes summed (numerators and denominators alike). */
function totalsOf(ids: readonly string[], f: PeriodFigures, s: StandingFigures): Totals {
  const incidents = new Map<string, number>();
  let checks = 0;
  let captures = 0;
  let monitoring: MonitoringTotals = { cameras: 0, watchedCameras: 0, watchedMs: 0, cameraMs: 0 };
  for (const id of ids) {
    const own = f.incidents.get(id);
    if (own) for (const [type, count] of own) incidents.set(type, (incidents.get(type) ?? 0) + count);
    const sc = f.stopChecks.get(id);
    if (sc) {
      checks += sc.checks;
      captures += sc.captures;
    }
    const cams = s.camerasOf.get(id);
    if (cams) monitoring = addMonitoringTotals(monitoring, monitoringTotals(cams, f.watches, f.monitoredPeriod));
  }
  return { incidents, checks, captures, monitoring };
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
