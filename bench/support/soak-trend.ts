// The slope rule of the console soaks (bench:console-soak, bench:kiosk-soak; README "Benchmarks"): each quantity
// sampled once a minute, after a forced GC, at the same point of the tour; the first two samples are warm-up; the
// trend is the least-squares slope of the rest against the minute, in units per hour. A quantity is flat when the
// rise that slope predicts over a 24-hour day (a wall runs all day) stays within its budget below; a falling trend is
// never a leak.

/** Least-squares slope of ys against xs (0 for fewer than two distinct xs). */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n === 0) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** Samples before this index are warm-up (the first pages' streams, the first alarms). */
export const WARM_UP_SAMPLES = 2;

/**
 * Budgets of the predicted rise per 24 h: the JS heap at most 64 MiB a day; DOM nodes at most 5 % of the first steady
 * count a day (a page change that leaked one tile's nodes would add thousands); listeners at most 50 % of the first
 * steady count a day (they swing by ±10 % between samples with the players' own timers).
 */
export const DAILY_BUDGET = { jsHeapMiB: { absolute: 64 }, domNodes: { relative: 0.05 }, listeners: { relative: 0.5 } } as const;

export type SoakSample = { minute: number; jsHeapMiB: number; domNodes: number; listeners: number; browserCpuPctOfCore: number } & Record<string, number>;

export interface SoakTrend {
  jsHeapMiBPerHour: number;
  domNodesPerHour: number;
  listenersPerHour: number;
  cpuPctPerHour: number;
}

export interface SoakVerdict {
  /** Each judged quantity: its slope per hour, the rise it predicts over 24 h, the budget, flat or not. */
  checks: { quantity: keyof typeof DAILY_BUDGET; perHour: number; predictedDailyRise: number; dailyBudget: number; flat: boolean }[];
  flat: boolean;
}

/** The trend of the steady samples (after WARM_UP_SAMPLES). */
export function soakTrend(samples: SoakSample[]): { steady: SoakSample[]; trend: SoakTrend } {
  const steady = samples.slice(Math.min(WARM_UP_SAMPLES, Math.max(0, samples.length - 1)));
  const minutes = steady.map((s) => s.minute);
  const perHour = (key: keyof SoakSample) => slope(minutes, steady.map((s) => s[key] as number)) * 60;
  return {
    steady,
    trend: { jsHeapMiBPerHour: perHour('jsHeapMiB'), domNodesPerHour: perHour('domNodes'), listenersPerHour: perHour('listeners'), cpuPctPerHour: perHour('browserCpuPctOfCore') },
  };
}

/** Whether heap, DOM nodes and listeners stayed flat by the daily budgets. */
export function soakVerdict(steady: SoakSample[], trend: SoakTrend): SoakVerdict {
  const first = steady[0];
  const perHour = { jsHeapMiB: trend.jsHeapMiBPerHour, domNodes: trend.domNodesPerHour, listeners: trend.listenersPerHour };
  const checks = (Object.keys(DAILY_BUDGET) as (keyof typeof DAILY_BUDGET)[]).map((quantity) => {
    const b: { absolute?: number; relative?: number } = DAILY_BUDGET[quantity];
    const dailyBudget = b.absolute ?? (b.relative ?? 0) * (first?.[quantity] ?? 0);
    const predictedDailyRise = perHour[quantity] * 24;
    return { quantity, perHour: perHour[quantity], predictedDailyRise, dailyBudget, flat: predictedDailyRise <= dailyBudget };
  });
  return { checks, flat: checks.every((c) => c.flat) };
}
