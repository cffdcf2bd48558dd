/**
 * Emerging hot spots (docs/methods.md "Emerging hot spots"): Getis-Ord Gi* per time slice exactly as
 * CONTRACT.md "Hotspots" defines it, a Mann-Kendall trend of each cell's Gi* series, and the categories
 * of ArcGIS's Emerging Hot Spot Analysis. Pure: no clock, no I/O.
 */
import { TiergateError } from '../errors';
import type { Geometry } from '../geo';
import { cellCentre, confidenceOf, DEFAULT_CELL_SIZE, DEFAULT_RADIUS, giStarGrid, HotspotConfidence, MAX_NEIGHBOUR_WORK, neighbourRowHalfWidths } from './gi-star.calculator';
import { twoSidedNormalP } from './normal-distribution.math';
import { hourWeekdayProfile } from './three-highs.profile';

/** A slice's cell is a significant hot (cold) spot at 90 % confidence: Gi* >= 1.645 (<= -1.645). */
export const EMERGING_SIGNIFICANT_Z = 1.645;
/** A Mann-Kendall trend is significant when its two-sided p <= 0.05. */
export const EMERGING_TREND_ALPHA = 0.05;
export const MIN_SLICES = 10;
export const MAX_SLICES = 104;
export const DEFAULT_SLICES = 12;
/** How many cells the patrol guidance lists. */
export const GUIDANCE_LIMIT = 10;

export const SLICE_MS = { day: 86_400_000, week: 7 * 86_400_000 } as const;
export type SliceUnit = keyof typeof SLICE_MS;
export const SLICE_UNITS = Object.keys(SLICE_MS) as SliceUnit[];

export type EmergingCategory =
  | 'new-hot'
  | 'consecutive-hot'
  | 'intensifying-hot'
  | 'persistent-hot'
  | 'diminishing-hot'
  | 'sporadic-hot'
  | 'oscillating-hot'
  | 'historical-hot'
  | 'new-cold'
  | 'consecutive-cold'
  | 'intensifying-cold'
  | 'persistent-cold'
  | 'diminishing-cold'
  | 'sporadic-cold'
  | 'oscillating-cold'
  | 'historical-cold'
  | 'none';

/** Display and answer order: hot categories by urgency for patrols, then cold, then none. */
export const EMERGING_CATEGORIES: readonly EmergingCategory[] = [
  'intensifying-hot',
  'new-hot',
  'consecutive-hot',
  'persistent-hot',
  'sporadic-hot',
  'oscillating-hot',
  'diminishing-hot',
  'historical-hot',
  'intensifying-cold',
  'new-cold',
  'consecutive-cold',
  'persistent-cold',
  'sporadic-cold',
  'oscillating-cold',
  'diminishing-cold',
  'historical-cold',
  'none',
];

/** The categories patrol guidance draws from, in its order of priority. */
export const GUIDANCE_CATEGORIES: readonly EmergingCategory[] = ['intensifying-hot', 'new-hot', 'consecutive-hot', 'persistent-hot'];

export interface MannKendallResult {
  /** S = Σ_{i<j} sgn(x_j − x_i). */
  s: number;
  /** Var(S) with the tie correction: (n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)) / 18. */
  variance: number;
  /** (S − sgn S) / sqrt(Var S) (continuity-corrected); 0 when S = 0 or Var S = 0. */
  z: number;
  /** Two-sided normal p of z; 1 when z = 0. */
  p: number;
}

/**
 * Mann-Kendall trend test of a series in time order. Ties are groups of exactly equal values. With the
 * continuity correction (|S| − 1), as in Kendall::MannKendall and trend::mk.test (continuity = TRUE).
 */
export function mannKendall(series: readonly number[]): MannKendallResult {
  const n = series.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(series[j] - series[i]);
  }
  const groups = new Map<number, number>();
  for (const v of series) groups.set(v, (groups.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of groups.values()) ties += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = s === 0 || variance <= 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(variance);
  return { s, variance, z, p: z === 0 ? 1 : twoSidedNormalP(z) };
}

/**
 * The category of one cell from its Gi* series (oldest slice first) and the Mann-Kendall trend of that
 * series. The rules, and how the overlaps in ArcGIS's wording are resolved, are in docs/methods.md.
 */
export function classifyEmerging(zs: readonly number[], trend: Pick<MannKendallResult, 'z' | 'p'>): EmergingCategory {
  const n = zs.length;
  if (n === 0) return 'none';
  const hot = zs.map((z) => z >= EMERGING_SIGNIFICANT_Z);
  const cold = zs.map((z) => z <= -EMERGING_SIGNIFICANT_Z);
  const rising = trend.z > 0 && trend.p <= EMERGING_TREND_ALPHA;
  const falling = trend.z < 0 && trend.p <= EMERGING_TREND_ALPHA;
  const family = (same: boolean[], other: boolean[], side: 'hot' | 'cold', stronger: boolean, weaker: boolean): EmergingCategory => {
    const count = same.filter(Boolean).length;
    if (10 * count >= 9 * n) return `${stronger ? 'intensifying' : weaker ? 'diminishing' : 'persistent'}-${side}`;
    if (other.some(Boolean)) return `oscillating-${side}`;
    if (count === 1) return `new-${side}`;
    if (same.slice(n - count).every(Boolean)) return `consecutive-${side}`;
    return `sporadic-${side}`;
  };
  if (hot[n - 1]) return family(hot, cold, 'hot', rising, falling);
  if (cold[n - 1]) return family(cold, hot, 'cold', falling, rising);
  if (10 * hot.filter(Boolean).length >= 9 * n) return 'historical-hot';
  if (10 * cold.filter(Boolean).length >= 9 * n) return 'historical-cold';
  return 'none';
}

export interface SliceWindow {
  /** Inclusive, ms since the epoch. */
  from: number;
  /** Exclusive. */
  to: number;
}

/** Start of the local slice (day or Monday-based week, fixed UTC offset) that contains `at`. */
export function startOfLocalSlice(at: number, unit: SliceUnit, utcOffsetMinutes: number): number {
  const shift = utcOffsetMinutes * 60_000;
  const localDay = Math.floor((at + shift) / SLICE_MS.day);
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is days since Monday.
  const day = unit === 'week' ? localDay - (((localDay + 3) % 7) + 7) % 7 : localDay;
  return day * SLICE_MS.day - shift;
}

/**
 * The slices, oldest first, laid back to back and ending at `to`: slice k (0-based) of N covers
 * [to − (N − k)·L, to − (N − k − 1)·L). With `from`, N = floor((to − from) / L) (a remainder at the
 * start is left out); otherwise N = `slices`.
 */
export function sliceWindows(opts: { to: number; unit: SliceUnit; slices?: number; from?: number }): SliceWindow[] {
  const length = SLICE_MS[opts.unit];
  const n = opts.from !== undefined ? Math.floor((opts.to - opts.from) / length) : (opts.slices ?? DEFAULT_SLICES);
  if (!Number.isInteger(n) || n < MIN_SLICES || n > MAX_SLICES) {
    throw new TiergateError(
      'VALIDATION_FAILED',
      `${opts.from !== undefined ? 'from' : 'slices'}: the period must hold ${MIN_SLICES} to ${MAX_SLICES} whole slices of one ${opts.unit} (it holds ${n})`,
    );
  }
  return Array.from({ length: n }, (_, k) => ({ from: opts.to - (n - k) * length, to: opts.to - (n - k - 1) * length }));
}

export interface EmergingInput {
  /** Incidents already filtered by type and scope; `at` in ms since the epoch. */
  incidents: ReadonlyArray<{ lon: number; lat: number; at: number }>;
  studyArea: readonly Geometry[];
  windows: readonly SliceWindow[];
  cellSize?: number;
  radius?: number;
  /** Local clock of the hour x weekday profiles of the guidance. */
  utcOffsetMinutes: number;
}

export interface EmergingSlice {
  count: number;
  z: number;
  p: number;
  confidence: HotspotConfidence;
}

export interface EmergingCell {
  x: number;
  y: number;
  centre: { lat: number; lon: number };
  centreMercator: { x: number; y: number };
  category: EmergingCategory;
  /** Incidents in the cell over all slices. */
  count: number;
  trend: MannKendallResult;
  /** One entry per slice, oldest first. */
  slices: EmergingSlice[];
}

export interface PatrolSlot {
  /** 0 = Monday … 6 = Sunday, local. */
  weekday: number;
  hour: number;
  count: number;
}

/** A guided cell: where it is and its category as the cell has them, and what patrols need to know. */
export interface PatrolGuidance extends Pick<EmergingCell, 'x' | 'y' | 'centre' | 'centreMercator' | 'category'> {
  /** Gi* of the last slice. */
  z: number;
  /** Incidents in the cell's neighbourhood (cells within `radius`) over all slices. */
  count: number;
  /** The busiest local weekday-hour slots of those incidents, at most 3, busiest first (ties: earlier weekday, then hour). */
  peaks: PatrolSlot[];
  /** hourWeekday[weekday][hour] of those incidents. */
  hourWeekday: number[][];
}

export interface EmergingResult {
  cellSize: number;
  radius: number;
  n: number;
  windows: SliceWindow[];
  /** Cells with a category other than none, or with incidents; by category order, then last-slice z descending, then x, y. */
  cells: EmergingCell[];
  /**
   * The first GUIDANCE_LIMIT cells of `cells` in GUIDANCE_CATEGORIES, skipping any within `radius` of a cell
   * already listed (one entry per spot).
   */
  guidance: PatrolGuidance[];
}

const categoryRank = new Map(EMERGING_CATEGORIES.map((c, k) => [c, k]));

/** Emerging hot-spot analysis (see the module comment). Incidents outside every window or the study area are left out. */
export function computeEmergingHotspots(input: EmergingInput): EmergingResult {
  const grid = giStarGrid(input.studyArea, input.cellSize, input.radius);
  const windows = [...input.windows];
  if (!grid) return { cellSize: input.cellSize ?? DEFAULT_CELL_SIZE, radius: input.radius ?? DEFAULT_RADIUS, n: 0, windows, cells: [], guidance: [] };
  const rows = neighbourRowHalfWidths(grid.cellSize, grid.radius);
  if (grid.n * rows.size * windows.length > MAX_NEIGHBOUR_WORK) {
    throw new TiergateError('RANGE_TOO_LARGE', `${windows.length} slices over ${grid.n} cells of ${grid.cellSize} m is too much work; use fewer slices or larger cells`);
  }
  const size = grid.width * grid.height;
  const counts = windows.map(() => new Float64Array(size));
  const placed: Array<{ idx: number; at: number }> = [];
  for (const { lon, lat, at } of input.incidents) {
    const k = windows.findIndex((w) => at >= w.from && at < w.to);
    if (k < 0) continue;
    const idx = grid.indexOf(lon, lat);
    if (idx < 0) continue;
    counts[k][idx]++;
    placed.push({ idx, at });
  }
  const zs = counts.map((c) => grid.zScores(c));

  const cells: EmergingCell[] = [];
  for (let idx = 0; idx < size; idx++) {
    if (grid.inStudy[idx] === 0) continue;
    const series = zs.map((z) => z[idx]);
    const total = counts.reduce((a, c) => a + c[idx], 0);
    const trend = mannKendall(series);
    const category = classifyEmerging(series, trend);
    if (category === 'none' && total === 0) continue;
    const { x, y, centre, centreMercator } = cellCentre(grid, idx);
    const slices = series.map((z, k) => ({ count: counts[k][idx], z, p: z === 0 ? 1 : twoSidedNormalP(z), confidence: confidenceOf(z) }));
    cells.push({ x, y, centre, centreMercator, category, count: total, trend, slices });
  }
  const lastZ = (c: EmergingCell) => c.slices[c.slices.length - 1].z;
  cells.sort((a, b) => categoryRank.get(a.category)! - categoryRank.get(b.category)! || lastZ(b) - lastZ(a) || a.x - b.x || a.y - b.y);

  // One entry per spot: a cell within the band of a cell already listed is the same spot.
  const listed: EmergingCell[] = [];
  for (const c of cells) {
    if (listed.length >= GUIDANCE_LIMIT) break;
    if (!GUIDANCE_CATEGORIES.includes(c.category)) continue;
    if (listed.some((o) => Math.abs(o.x - c.x) <= (rows.get(o.y - c.y) ?? -1))) continue;
    listed.push(c);
  }
  const guidance = listed.map((c): PatrolGuidance => {
      const near = placed.filter(({ idx }) => {
        const dx = grid.minCx + (idx % grid.width) - c.x;
        const dy = grid.minCy + Math.floor(idx / grid.width) - c.y;
        const k = rows.get(dy);
        return k !== undefined && Math.abs(dx) <= k;
      });
      const hourWeekday = hourWeekdayProfile(near.map((p) => ({ occurredAt: p.at })), input.utcOffsetMinutes);
      const slots: PatrolSlot[] = [];
      hourWeekday.forEach((hours, weekday) => hours.forEach((count, hour) => count > 0 && slots.push({ weekday, hour, count })));
      slots.sort((a, b) => b.count - a.count || a.weekday - b.weekday || a.hour - b.hour);
      return { x: c.x, y: c.y, centre: c.centre, centreMercator: c.centreMercator, category: c.category, z: lastZ(c), count: near.length, peaks: slots.slice(0, 3), hourWeekday };
    });
  return { cellSize: grid.cellSize, radius: grid.radius, n: grid.n, windows, cells, guidance };
}
