/** An import of at least this many rows refreshes the planner's statistics of its table (analyzeAfterImport). */
export const ANALYZE_AFTER_ROWS = 1000;

/**
 * The SQL of per-period counts over one timestamp column, for one grouped scan of a table (the rates:
 * incidents, stop_checks). `$1` and `$2` bound the scan (the earliest start, the latest end); each period k
 * adds, for each measure, `count(*) FILTER (WHERE <column> in [from, to) [AND <condition>]) AS <name><k>`.
 * Every row is grouped once and counted into each period that holds it: periods may overlap (the previous
 * period and the same period last year often do) without the rows being copied once per period.
 */
export function periodCounts(
  column: string,
  periods: readonly { from: Date; to: Date }[],
  measures: readonly { name: string; condition?: string }[] = [{ name: 'c' }],
): { columns: string; params: string[] } {
  const from = Math.min(...periods.map((p) => p.from.getTime()));
  const to = Math.max(...periods.map((p) => p.to.getTime()));
  const params = [new Date(from).toISOString(), new Date(to).toISOString()];
  const columns: string[] = [];
  periods.forEach((p, k) => {
    params.push(p.from.toISOString(), p.to.toISOString());
    const range = `${column} >= $${params.length - 1}::timestamptz AND ${column} < $${params.length}::timestamptz`;
    for (const m of measures) columns.push(`count(*) FILTER (WHERE ${range}${m.condition ? ` AND ${m.condition}` : ''}) AS ${m.name}${k}`);
  });
  return { columns: columns.join(', '), params };
}
