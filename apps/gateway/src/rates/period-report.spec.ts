import { createHash } from 'node:crypto';
import { readCsvTable } from '@tiergate/domain';
import { buildPeriodReport, reportCsp, reportCsv, reportHtml, REPORT_CSV_COLUMNS } from './period-report';
import type { NodeRatesView, RatesView } from './rates.report';

const none = { value: null, reason: 'NO_STOP_CHECKS' as const };
function node(id: string, name: string, tier: string, over: { checks: number; captures: number }): NodeRatesView {
  const capture = { checks: over.checks, captures: over.captures, rate: over.checks ? { value: over.captures / over.checks } : none };
  const monitoring = { measured: { from: '', to: '' }, cameras: 2, watchedCameras: 1, cameraShare: { value: 0.5 }, watchedHours: 1, cameraHours: 10, hourShare: { value: 0.1 } };
  const prevent = { cases: 3, per10k: { value: 1.5 } };
  return {
    jurisdiction: { id, code: id.toUpperCase(), name, tier },
    incidentDecline: [{ type: 'all', current: 8, previousPeriod: { count: 10, rate: { value: 0.2 } }, samePeriodLastYear: { count: 0, rate: { value: null, reason: 'NO_INCIDENTS_IN_COMPARISON_PERIOD' } } }],
    preventableCases: { population: 20_000, current: prevent, previousPeriod: prevent, samePeriodLastYear: prevent },
    stopCheckCapture: { current: capture, previousPeriod: capture, samePeriodLastYear: capture },
    monitoring: { current: monitoring, previousPeriod: monitoring, samePeriodLastYear: monitoring },
  };
}
const period = { from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' };
const rates: RatesView = {
  period,
  previousPeriod: period,
  samePeriodLastYear: period,
  preventableTypes: ['bike_theft'],
  node: node('s1', 'North Station', 'station', { checks: 4, captures: 1 }),
  children: [node('p1', '=cmd|\' /C calc\'!A0', 'post', { checks: 0, captures: 0 }), node('p2', '<b>Oak</b> & "Elm"', 'post', { checks: 2, captures: 2 })],
};
const counts = (planned: number, fulfilled: number) => ({ planned, fulfilled, missed: planned - fulfilled, late: 0, incomplete: 0, pending: 1 });
const report = buildPeriodReport({
  rates,
  fulfilment: { current: new Map([['s1', counts(4, 1)], ['p2', counts(4, 1)]]), lastYear: new Map() },
  hotCells: new Map([['s1', 2]]),
  alarms: null,
  topHotCells: [{ centre: { lat: 39.9, lon: 116.4 }, count: 7, z: 3.2, cameras: ['<script>x</script>'] }],
  generatedBy: 'analyst',
  now: Date.parse('2026-04-02T00:00:00Z'),
  utcOffsetMinutes: 480,
});

describe('period report', () => {
  it('CSV: one line per row, rates as fractions, empty with the reason where a denominator is zero, formula names neutralised', () => {
    const table = readCsvTable(reportCsv(report));
    expect(table.header?.names).toEqual([...REPORT_CSV_COLUMNS]);
    const rows = table.rows.map((r) => Object.fromEntries(REPORT_CSV_COLUMNS.map((c, i) => [c, r.fields[i]])));
    expect(rows.map((r) => r.code)).toEqual(['S1', 'P1', 'P2']);
    expect(rows[0]).toMatchObject({ capture_rate: '0.25', fulfilment_rate: '0.25', decline_rate_vs_previous_period: '0.2', decline_rate_vs_same_period_last_year: '', hot_cells: '2', alarms: '' });
    expect(rows[0].notes).toContain('decline_rate_vs_same_period_last_year: NO_INCIDENTS_IN_COMPARISON_PERIOD');
    expect(rows[0].notes).toContain('alarms: not available');
    expect(rows[1].name).toBe("'=cmd|' /C calc'!A0");
    expect(rows[1]).toMatchObject({ capture_rate: '', fulfilment_rate: '' });
    expect(rows[1].notes).toContain('capture_rate: NO_STOP_CHECKS');
    expect(rows[1].notes).toContain('fulfilment_rate: NO_ROUNDS_PLANNED');
  });

  it('HTML: names escaped, rates in the locale, "—" with the reason, alarms said to be unavailable; the CSP allows exactly its style', () => {
    const zh = reportHtml(report, 'zh-CN');
    expect(zh).toContain('&lt;b&gt;Oak&lt;/b&gt; &amp; &quot;Elm&quot;');
    expect(zh).not.toContain('<script>');
    expect(zh).toContain('警情下降率');
    expect(zh).not.toContain('Incident decline rate');
    expect(zh).toContain('25.0%');
    expect(zh).toContain('title="比较期间无警情">—');
    expect(zh).toContain('id="report-alarms-na"');
    expect(zh).toContain('2026-03-01 00:00 – 2026-04-01 00:00 (UTC+08:00)');
    const en = reportHtml(report, 'en');
    expect(en).toContain('警情下降率 <span class="en">Incident decline rate</span>');
    const style = /<style>([\s\S]*?)<\/style>/.exec(zh)![1];
    expect(reportCsp()).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(zh).not.toMatch(/<script|<link|src=|href=/);
  });
});
