import { createHash } from 'node:crypto';
import { csvDocument, type CsvValue, type FulfilmentCounts, type RateValue } from '@tiergate/domain';
import type { NodeRatesView, RatesView } from './rates.report';

/**
 * Pure: the period report of a jurisdiction (docs/methods.md "Period report"): one row for the node and one for
 * each child (the tier below), each over its whole subtree, with the four rates, the monitoring rate, the patrol
 * rounds, the alarms (when the gateway has them) and the hot cells; as JSON, formula-safe CSV and a printable,
 * self-contained HTML page (Chinese first, the reader's language beside it).
 */

export type ReportLang = 'zh-CN' | 'en';

export interface ReportHotCell {
  centre: { lat: number; lon: number };
  count: number;
  z: number;
  /** Names of the visible cameras near the cell. */
  cameras: string[];
}

export interface ReportRow {
  jurisdiction: { id: string; code: string; name: string; tier: string };
  incidents: { current: number; previousPeriod: number; samePeriodLastYear: number };
  declineVsPrevious: RateValue;
  declineVsLastYear: RateValue;
  preventable: { cases: number; population: number | null; per10k: RateValue; per10kLastYear: RateValue };
  rounds: FulfilmentCounts & { rate: RateValue; rateLastYear: RateValue };
  stopChecks: { checks: number; captures: number; rate: RateValue; rateLastYear: RateValue };
  monitoring: { cameras: number; watchedCameras: number; cameraShare: RateValue; hourShare: RateValue; cameraShareLastYear: RateValue };
  /** Significant hot cells (Gi* z >= 1.645) of the node's own area over the period. */
  hotCells: number;
  /** Alarms started in the period on the subtree's cameras; null: the gateway keeps no alarms. */
  alarms: number | null;
}

export interface PeriodReport {
  generatedAt: string;
  generatedBy: string;
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  samePeriodLastYear: { from: string; to: string };
  utcOffsetMinutes: number;
  preventableTypes: string[];
  /** The node first, then its children. */
  rows: ReportRow[];
  /** The node's hottest cells, hottest first (at most REPORT_TOP_CELLS). */
  topHotCells: ReportHotCell[];
  alarmsAvailable: boolean;
}

export const REPORT_TOP_CELLS = 5;
const NO_ROUNDS_PLANNED = 'NO_ROUNDS_PLANNED';

export interface FulfilmentInput {
  jurisdictionId: string;
  counts: FulfilmentCounts;
}

export interface ReportInputs {
  rates: RatesView;
  fulfilment: { current: ReadonlyMap<string, FulfilmentCounts>; lastYear: ReadonlyMap<string, FulfilmentCounts> };
  hotCells: ReadonlyMap<string, number>;
  alarms: ReadonlyMap<string, number> | null;
  topHotCells: ReportHotCell[];
  generatedBy: string;
  now: number;
  utcOffsetMinutes: number;
}

const zero: FulfilmentCounts = { planned: 0, fulfilled: 0, missed: 0, late: 0, incomplete: 0, pending: 0 };
const fulfilmentValue = (c: FulfilmentCounts): RateValue => (c.planned > 0 ? { value: c.fulfilled / c.planned } : { value: null, reason: NO_ROUNDS_PLANNED as RateValue['reason'] });

export function buildPeriodReport(input: ReportInputs): PeriodReport {
  const { rates } = input;
  const nodes = [rates.node, ...rates.children].filter((n): n is NodeRatesView & { jurisdiction: NonNullable<NodeRatesView['jurisdiction']> } => n.jurisdiction !== null);
  const rows = nodes.map((n): ReportRow => {
    const id = n.jurisdiction.id;
    const all = n.incidentDecline.find((d) => d.type === 'all')!;
    const f = input.fulfilment.current.get(id) ?? zero;
    const fLast = input.fulfilment.lastYear.get(id) ?? zero;
    return {
      jurisdiction: { ...n.jurisdiction },
      incidents: { current: all.current, previousPeriod: all.previousPeriod.count, samePeriodLastYear: all.samePeriodLastYear.count },
      declineVsPrevious: all.previousPeriod.rate,
      declineVsLastYear: all.samePeriodLastYear.rate,
      preventable: { cases: n.preventableCases.current.cases, population: n.preventableCases.population, per10k: n.preventableCases.current.per10k, per10kLastYear: n.preventableCases.samePeriodLastYear.per10k },
      rounds: { ...f, rate: fulfilmentValue(f), rateLastYear: fulfilmentValue(fLast) },
      stopChecks: { checks: n.stopCheckCapture.current.checks, captures: n.stopCheckCapture.current.captures, rate: n.stopCheckCapture.current.rate, rateLastYear: n.stopCheckCapture.samePeriodLastYear.rate },
      monitoring: {
        cameras: n.monitoring.current.cameras,
        watchedCameras: n.monitoring.current.watchedCameras,
        cameraShare: n.monitoring.current.cameraShare,
        hourShare: n.monitoring.current.hourShare,
        cameraShareLastYear: n.monitoring.samePeriodLastYear.cameraShare,
      },
      hotCells: input.hotCells.get(id) ?? 0,
      alarms: input.alarms ? (input.alarms.get(id) ?? 0) : null,
    };
  });
  return {
    generatedAt: new Date(input.now).toISOString(),
    generatedBy: input.generatedBy,
    period: rates.period,
    previousPeriod: rates.previousPeriod,
    samePeriodLastYear: rates.samePeriodLastYear,
    utcOffsetMinutes: input.utcOffsetMinutes,
    preventableTypes: rates.preventableTypes,
    rows,
    topHotCells: input.topHotCells.slice(0, REPORT_TOP_CELLS),
    alarmsAvailable: input.alarms !== null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV: one line per row, rates as plain fractions (0.25 = 25 %), an empty cell where a rate has no value and the
// reason in `notes`; every cell through the formula-neutralising writer (names come from operators' imports).
// ---------------------------------------------------------------------------------------------------------------

export const REPORT_CSV_COLUMNS = [
  'code', 'name', 'tier',
  'incidents', 'incidents_previous_period', 'incidents_same_period_last_year', 'decline_rate_vs_previous_period', 'decline_rate_vs_same_period_last_year',
  'preventable_cases', 'population', 'preventable_per_10k', 'preventable_per_10k_last_year',
  'rounds_planned', 'rounds_fulfilled', 'rounds_missed', 'rounds_late', 'rounds_incomplete', 'rounds_pending', 'fulfilment_rate', 'fulfilment_rate_last_year',
  'stop_checks', 'captures', 'capture_rate', 'capture_rate_last_year',
  'cameras', 'watched_cameras', 'monitoring_camera_share', 'monitoring_hour_share', 'monitoring_camera_share_last_year',
  'hot_cells', 'alarms', 'notes',
] as const;

export function reportCsv(r: PeriodReport): string {
  const rows = r.rows.map((row): CsvValue[] => {
    const notes: string[] = [];
    const v = (column: string, rate: RateValue): CsvValue => {
      if (rate.value === null) notes.push(`${column}: ${rate.reason ?? 'no value'}`);
      return rate.value;
    };
    const cells: CsvValue[] = [
      row.jurisdiction.code, row.jurisdiction.name, row.jurisdiction.tier,
      row.incidents.current, row.incidents.previousPeriod, row.incidents.samePeriodLastYear,
      v('decline_rate_vs_previous_period', row.declineVsPrevious), v('decline_rate_vs_same_period_last_year', row.declineVsLastYear),
      row.preventable.cases, row.preventable.population, v('preventable_per_10k', row.preventable.per10k), v('preventable_per_10k_last_year', row.preventable.per10kLastYear),
      row.rounds.planned, row.rounds.fulfilled, row.rounds.missed, row.rounds.late, row.rounds.incomplete, row.rounds.pending,
      v('fulfilment_rate', row.rounds.rate), v('fulfilment_rate_last_year', row.rounds.rateLastYear),
      row.stopChecks.checks, row.stopChecks.captures, v('capture_rate', row.stopChecks.rate), v('capture_rate_last_year', row.stopChecks.rateLastYear),
      row.monitoring.cameras, row.monitoring.watchedCameras, v('monitoring_camera_share', row.monitoring.cameraShare), v('monitoring_hour_share', row.monitoring.hourShare),
      v('monitoring_camera_share_last_year', row.monitoring.cameraShareLastYear),
      row.hotCells, row.alarms,
    ];
    if (row.alarms === null) notes.push('alarms: not available');
    return [...cells, notes.join('; ')];
  });
  return csvDocument(REPORT_CSV_COLUMNS, rows);
}

// ---------------------------------------------------------------------------------------------------------------
// HTML: one page, no script, no external asset; its one <style> is allowed by hash (reportCsp).
// ---------------------------------------------------------------------------------------------------------------

type Words = Record<string, [zh: string, en: string]>;
const W = {
  title: ['期间报表', 'Period report'],
  jurisdiction: ['辖区', 'Jurisdiction'],
  period: ['统计期间', 'Period'],
  previous: ['上一期间', 'Previous period'],
  lastYear: ['去年同期', 'Same period last year'],
  generated: ['生成', 'Generated'],
  rates: ['四率与实时监控率', 'The four rates and the monitoring rate'],
  unit: ['单位', 'Unit'],
  decline: ['警情下降率', 'Incident decline rate'],
  vsPrevious: ['较上一期间', 'vs previous period'],
  vsLastYear: ['较去年同期', 'vs same period last year'],
  incidents: ['警情数', 'Incidents'],
  preventable: ['可防性案件发案率（每万人）', 'Preventable-case rate (per 10,000)'],
  cases: ['可防性案件', 'Preventable cases'],
  population: ['人口', 'Population'],
  fulfilment: ['勤务落实率', 'Duty fulfilment rate'],
  capture: ['盘查抓获率', 'Stop-and-check capture rate'],
  monitoring: ['实时监控率', 'Real-time monitoring rate'],
  cameraShare: ['被查看的摄像机', 'cameras watched'],
  hourShare: ['被查看的摄像机小时', 'camera-hours watched'],
  rounds: ['视频巡逻', 'Video patrol rounds'],
  planned: ['应巡', 'Planned'],
  fulfilled: ['按时完成', 'Fulfilled'],
  missed: ['漏巡', 'Missed'],
  late: ['迟到', 'Late'],
  incomplete: ['未完成', 'Incomplete'],
  pending: ['未到期', 'Not yet due'],
  stopChecks: ['盘查', 'Stop-and-checks'],
  captures: ['抓获', 'Captures'],
  cameras: ['摄像机', 'Cameras'],
  watched: ['被查看', 'Watched'],
  alarms: ['告警', 'Alarms'],
  alarmsNotAvailable: ['告警数据暂不可用：本网关尚未记录告警。', 'Alarms: not available (this gateway keeps no alarm records yet).'],
  hotspots: ['热点', 'Hot spots'],
  hotCells: ['显著热点网格（Gi* z ≥ 1.645）', 'Significant hot cells (Gi* z ≥ 1.645)'],
  topCells: ['最热网格', 'Hottest cells'],
  centre: ['中心', 'Centre'],
  count: ['警情', 'Incidents'],
  nearCameras: ['附近摄像机', 'Cameras nearby'],
  noHotCell: ['本期间无显著热点。', 'No significant hot spot in this period.'],
  noValue: ['—', '—'],
  legend: ['“—”表示分母为零或未知，无法计算（见 docs/methods.md）。比较为去年同期。', '"—": the denominator is zero or unknown, so the rate has no value (docs/methods.md). Comparisons are with the same period last year.'],
} satisfies Words;

const REASONS: Words = {
  NO_INCIDENTS_IN_COMPARISON_PERIOD: ['比较期间无警情', 'no incidents in the comparison period'],
  NO_POPULATION: ['人口未知或为零', 'population unknown or zero'],
  NO_STOP_CHECKS: ['无盘查记录', 'no stop-and-checks'],
  NO_CAMERAS: ['无摄像机', 'no cameras'],
  PERIOD_NOT_STARTED: ['期间尚未开始', 'the period has not started'],
  NO_ROUNDS_PLANNED: ['无应巡任务', 'no rounds planned'],
};

const TIERS: Words = { 'sub-bureau': ['分局', 'sub-bureau'], station: ['派出所', 'station'], post: ['警务室', 'post'] };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#111;margin:24px;font-size:13px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:20px 0 6px;border-bottom:1px solid #999}
.en{color:#555;font-weight:normal}.meta{margin:2px 0}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 6px;text-align:right;vertical-align:top}
th{background:#eee}td.name,th.name{text-align:left}tr.node td{font-weight:bold}.na{color:#777}.note{color:#444;font-size:12px}
@media print{body{margin:10mm}h2{break-after:avoid}tr{break-inside:avoid}th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
@page{size:A4 landscape;margin:10mm}
`.trim();

/** The Content-Security-Policy for the report page: nothing but its own style block. */
export function reportCsp(): string {
  const hash = createHash('sha256').update(STYLE).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export function reportHtml(r: PeriodReport, lang: ReportLang): string {
  const e = escapeHtml;
  /** Chinese first; the reader's English beside it when the reader reads English. */
  const say = (w: [string, string]): string => (lang === 'en' ? `${e(w[0])} <span class="en">${e(w[1])}</span>` : e(w[0]));
  const plain = (w: [string, string]): string => (lang === 'en' ? `${w[0]} / ${w[1]}` : w[0]);
  const numberLocale = lang === 'en' ? 'en' : 'zh-CN';
  const int = (n: number) => new Intl.NumberFormat(numberLocale).format(n);
  const pct = (v: number) => new Intl.NumberFormat(numberLocale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);
  const dec = (v: number) => new Intl.NumberFormat(numberLocale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
  const rate = (v: RateValue, fmt: (n: number) => string): string =>
    v.value === null ? `<span class="na" title="${e(plain(REASONS[v.reason ?? ''] ?? ['', '']))}">—</span>` : e(fmt(v.value));
  const local = (iso: string) => {
    const d = new Date(Date.parse(iso) + r.utcOffsetMinutes * 60_000).toISOString();
    return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
  };
  const offset = (() => {
    const m = Math.abs(r.utcOffsetMinutes);
    return `UTC${r.utcOffsetMinutes < 0 ? '−' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  })();
  const span = (p: { from: string; to: string }) => `${e(local(p.from))} – ${e(local(p.to))}`;
  const node = r.rows[0];
  const tier = (t: string) => plain(TIERS[t] ?? [t, t]);
  const nameCell = (row: ReportRow) => `<td class="name">${e(row.jurisdiction.name)} <span class="en">${e(row.jurisdiction.code)} · ${e(tier(row.jurisdiction.tier))}</span></td>`;
  const rowClass = (k: number) => (k === 0 ? ' class="node"' : '');

  const ratesTable = `<table id="report-rates"><thead><tr><th class="name">${say(W.jurisdiction)}</th>
<th>${say(W.decline)}<br>${say(W.vsPrevious)}</th><th>${say(W.decline)}<br>${say(W.vsLastYear)}</th>
<th>${say(W.preventable)}</th><th>${say(W.fulfilment)}</th><th>${say(W.capture)}</th><th>${say(W.monitoring)}<br>${say(W.cameraShare)}</th><th>${say(W.monitoring)}<br>${say(W.hourShare)}</th></tr></thead><tbody>
${r.rows.map((row, k) => `<tr${rowClass(k)} data-code="${e(row.jurisdiction.code)}">${nameCell(row)}<td>${rate(row.declineVsPrevious, pct)}</td><td>${rate(row.declineVsLastYear, pct)}</td><td>${rate(row.preventable.per10k, dec)}</td><td>${rate(row.rounds.rate, pct)}</td><td>${rate(row.stopChecks.rate, pct)}</td><td>${rate(row.monitoring.cameraShare, pct)}</td><td>${rate(row.monitoring.hourShare, pct)}</td></tr>`).join('\n')}
</tbody></table><p class="note">${say(W.legend)}</p>`;

  const lastYearTable = `<table id="report-last-year"><thead><tr><th class="name">${say(W.jurisdiction)}</th><th>${say(W.preventable)}</th><th>${say(W.fulfilment)}</th><th>${say(W.capture)}</th><th>${say(W.monitoring)}<br>${say(W.cameraShare)}</th></tr></thead><tbody>
${r.rows.map((row, k) => `<tr${rowClass(k)}>${nameCell(row)}<td>${rate(row.preventable.per10kLastYear, dec)}</td><td>${rate(row.rounds.rateLastYear, pct)}</td><td>${rate(row.stopChecks.rateLastYear, pct)}</td><td>${rate(row.monitoring.cameraShareLastYear, pct)}</td></tr>`).join('\n')}
</tbody></table>`;

  const countsTable = `<table id="report-counts"><thead><tr><th class="name">${say(W.jurisdiction)}</th><th>${say(W.incidents)}</th><th>${say(W.previous)}</th><th>${say(W.lastYear)}</th><th>${say(W.cases)}</th><th>${say(W.population)}</th><th>${say(W.stopChecks)}</th><th>${say(W.captures)}</th><th>${say(W.cameras)}</th><th>${say(W.watched)}</th><th>${say(W.hotCells)}</th>${r.alarmsAvailable ? `<th>${say(W.alarms)}</th>` : ''}</tr></thead><tbody>
${r.rows.map((row, k) => `<tr${rowClass(k)}>${nameCell(row)}<td>${int(row.incidents.current)}</td><td>${int(row.incidents.previousPeriod)}</td><td>${int(row.incidents.samePeriodLastYear)}</td><td>${int(row.preventable.cases)}</td><td>${row.preventable.population === null ? '<span class="na">—</span>' : int(row.preventable.population)}</td><td>${int(row.stopChecks.checks)}</td><td>${int(row.stopChecks.captures)}</td><td>${int(row.monitoring.cameras)}</td><td>${int(row.monitoring.watchedCameras)}</td><td>${int(row.hotCells)}</td>${r.alarmsAvailable ? `<td>${int(row.alarms ?? 0)}</td>` : ''}</tr>`).join('\n')}
</tbody></table>${r.alarmsAvailable ? '' : `<p class="note" id="report-alarms-na">${say(W.alarmsNotAvailable)}</p>`}`;

  const roundsTable = `<table id="report-rounds"><thead><tr><th class="name">${say(W.jurisdiction)}</th><th>${say(W.planned)}</th><th>${say(W.fulfilled)}</th><th>${say(W.missed)}</th><th>${say(W.late)}</th><th>${say(W.incomplete)}</th><th>${say(W.pending)}</th><th>${say(W.fulfilment)}</th></tr></thead><tbody>
${r.rows.map((row, k) => `<tr${rowClass(k)}>${nameCell(row)}<td>${int(row.rounds.planned)}</td><td>${int(row.rounds.fulfilled)}</td><td>${int(row.rounds.missed)}</td><td>${int(row.rounds.late)}</td><td>${int(row.rounds.incomplete)}</td><td>${int(row.rounds.pending)}</td><td>${rate(row.rounds.rate, pct)}</td></tr>`).join('\n')}
</tbody></table>`;

  const hot = r.topHotCells.length
    ? `<table id="report-hotspots"><thead><tr><th class="name">${say(W.centre)}</th><th>${say(W.count)}</th><th>z</th><th class="name">${say(W.nearCameras)}</th></tr></thead><tbody>
${r.topHotCells.map((c) => `<tr><td class="name">${e(`${c.centre.lat.toFixed(5)}, ${c.centre.lon.toFixed(5)}`)}</td><td>${int(c.count)}</td><td>${e(dec(c.z))}</td><td class="name">${e(c.cameras.join('、') || '—')}</td></tr>`).join('\n')}
</tbody></table>`
    : `<p>${say(W.noHotCell)}</p>`;

  const title = `${plain(W.title)} · ${node ? node.jurisdiction.name : ''}`;
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(title)}</title><style>${STYLE}</style></head>
<body><main class="period-report">
<h1>${say(W.title)}${node ? ` · ${e(node.jurisdiction.name)}` : ''}</h1>
<p class="meta">${say(W.period)}: ${span(r.period)} (${e(offset)})</p>
<p class="meta">${say(W.previous)}: ${span(r.previousPeriod)}; ${say(W.lastYear)}: ${span(r.samePeriodLastYear)}</p>
<p class="meta">${say(W.generated)}: ${e(local(r.generatedAt))} · ${e(r.generatedBy)}</p>
<h2>${say(W.rates)}</h2>
${ratesTable}
<h2>${say(W.lastYear)}</h2>
${lastYearTable}
<h2>${say(W.incidents)} · ${say(W.stopChecks)} · ${say(W.cameras)} · ${say(W.alarms)}</h2>
${countsTable}
<h2>${say(W.rounds)}</h2>
${roundsTable}
<h2>${say(W.hotspots)}: ${say(W.topCells)}</h2>
${hot}
</main></body></html>
`;
}
