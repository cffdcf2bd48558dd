import type { EmergingCategory, EmergingCell, EmergingResult, EmergingSlice, MannKendallResult, PatrolGuidance, PatrolSlot } from '@tiergate/domain';

/** A cell of the emerging hot-spot answer: the domain's cell without the internal Mercator centre. */
export interface EmergingCellView {
  x: number;
  y: number;
  centre: { lat: number; lon: number };
  category: EmergingCategory;
  count: number;
  trend: MannKendallResult;
  slices: EmergingSlice[];
}

export interface PatrolGuidanceView {
  x: number;
  y: number;
  centre: { lat: number; lon: number };
  category: EmergingCategory;
  z: number;
  count: number;
  peaks: PatrolSlot[];
  hourWeekday: number[][];
  /** Caller-visible cameras within `radius` of the centre, nearest first. */
  cameras: string[];
}

export interface EmergingHotspotsView {
  cellSize: number;
  radius: number;
  n: number;
  slice: string;
  /** The slices analysed, oldest first (ISO 8601, `from` inclusive, `to` exclusive). */
  slices: { from: string; to: string }[];
  /** The slice the guidance is for: the one right after the last analysed. */
  next: { from: string; to: string };
  utcOffsetMinutes: number;
  significance: { hotColdZ: number; trendAlpha: number };
  cells: EmergingCellView[];
  guidance: PatrolGuidanceView[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toEmergingView(
  r: EmergingResult,
  extra: { slice: string; utcOffsetMinutes: number; hotColdZ: number; trendAlpha: number },
  camerasNear: (g: PatrolGuidance) => string[],
): EmergingHotspotsView {
  const last = r.windows[r.windows.length - 1];
  const length = last.to - last.from;
  return {
    cellSize: r.cellSize,
    radius: r.radius,
    n: r.n,
    slice: extra.slice,
    slices: r.windows.map((w) => ({ from: iso(w.from), to: iso(w.to) })),
    next: { from: iso(last.to), to: iso(last.to + length) },
    utcOffsetMinutes: extra.utcOffsetMinutes,
    significance: { hotColdZ: extra.hotColdZ, trendAlpha: extra.trendAlpha },
    cells: r.cells.map((c: EmergingCell) => ({ x: c.x, y: c.y, centre: c.centre, category: c.category, count: c.count, trend: c.trend, slices: c.slices })),
    guidance: r.guidance.map((g) => ({
      x: g.x,
      y: g.y,
      centre: g.centre,
      category: g.category,
      z: g.z,
      count: g.count,
      peaks: g.peaks,
      hourWeekday: g.hourWeekday,
      cameras: camerasNear(g),
    })),
  };
}
