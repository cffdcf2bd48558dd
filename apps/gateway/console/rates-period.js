// The rates screen's periods (docs/methods.md, "Console periods"): pure, in the browser's local time.
export const PRESETS = ['this-month', 'last-month', 'this-quarter', 'this-year', 'custom'];

/**
 * [from, to) of a preset as Dates. A running period (this month, quarter, year) ends at the start of tomorrow:
 * it is "to date", so that it is compared with periods of the same length (the days before it, or the same days
 * a year earlier) and not with a whole month of which only a few days have passed. Last month is whole.
 * Custom: the two days, `to` inclusive; null when either is missing or `to` is before `from`.
 */
export function periodOf(preset, fromDay, toDay, now = new Date()) {
  const y = now.getFullYear();
  const m = now.getMonth();
  const tomorrow = new Date(y, m, now.getDate() + 1);
  switch (preset) {
    case 'this-month': return { from: new Date(y, m, 1), to: tomorrow };
    case 'last-month': return { from: new Date(y, m - 1, 1), to: new Date(y, m, 1) };
    case 'this-quarter': return { from: new Date(y, m - (m % 3), 1), to: tomorrow };
    case 'this-year': return { from: new Date(y, 0, 1), to: tomorrow };
    default: {
      if (!fromDay || !toDay) return null;
      const from = new Date(`${fromDay}T00:00:00`);
      const to = new Date(`${toDay}T00:00:00`);
      to.setDate(to.getDate() + 1);
      return to > from ? { from, to } : null;
    }
  }
}
