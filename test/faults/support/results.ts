import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './layout';

export interface ResultRow {
  scenario: string;
  target: string;
  measured: string;
  pass: boolean;
}

export const RESULTS_FILE = join(ROOT, 'bench', 'results', 'faults.json');

/** The suite's results: one row per scenario, written to bench/results/faults.json after every row. */
export class Results {
  readonly rows: ResultRow[] = [];
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly meta: Record<string, unknown>) {}

  /** Records a row (then the test asserts the same conditions, so a failing row is a failing test). */
  add(row: ResultRow): ResultRow {
    this.rows.push(row);
    this.write();
    return row;
  }

  markdown(): string {
    const lines = ['| scenario | target | measured | result |', '|---|---|---|---|'];
    for (const r of this.rows) lines.push(`| ${r.scenario} | ${r.target} | ${r.measured} | ${r.pass ? 'pass' : '**FAIL**'} |`);
    return lines.join('\n');
  }

  private write(): void {
    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify({ startedAt: this.startedAt, ...this.meta, rows: this.rows }, null, 2)}\n`);
  }
}

/** `1.2 s` from milliseconds. */
export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
