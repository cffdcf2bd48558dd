// Rates dashboard (issue 16): the four rates and the monitoring rate of the caller's jurisdiction tree for a
// period, each with its comparison, and the period report as CSV, printable HTML and a printed page.
// Figures: GET /api/rates and GET /api/patrol/fulfilment (formulas in docs/methods.md); report: GET /api/reports/period.
import { api, ApiError, describeError } from './api.js';
import { formatDate, formatNumber, locale, t, tierName } from './i18n.js';
import { Disposer, h, query } from './util.js';
import { periodOf, PRESETS } from './rates-period.js';

/** The rate columns, in order. */
export const RATE_COLUMNS = ['decline', 'preventable', 'fulfilment', 'capture', 'monitoring'];
const pad = (n) => String(n).padStart(2, '0');
/** YYYY-MM-DD of a local date. */
const dayValue = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

const pct = (v, digits = 1) => formatNumber(v, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
const dec = (v, digits = 2) => formatNumber(v, { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (text, v) => (v > 0 ? `+${text}` : v < 0 ? `−${text}` : text);

/** A rate's value cell: the figure, or "—" with the reason a denominator was zero (docs/methods.md). */
function valueText(rate, fmt) {
  if (!rate || rate.value === null || rate.value === undefined) return { text: '—', title: t(`rates.reason.${rate?.reason ?? 'UNKNOWN'}`), value: '' };
  return { text: fmt(rate.value), title: '', value: String(rate.value) };
}

/**
 * The figures of one row for the chosen comparison (`samePeriodLastYear` or `previousPeriod`): for each column
 * {value: RateValue, then: RateValue, kind} plus the counts the tooltips name.
 */
export function rowFigures(node, fulfilment, compare) {
  const all = node.incidentDecline.find((d) => d.type === 'all');
  const noRounds = { value: null, reason: 'NO_ROUNDS_PLANNED' };
  const fRate = (f) => (f && f.rate !== null && f.rate !== undefined ? { value: f.rate } : noRounds);
  return {
    decline: { rate: all[compare].rate, now: all.current, then: all[compare].count },
    preventable: { rate: node.preventableCases.current.per10k, then: node.preventableCases[compare].per10k, cases: node.preventableCases.current.cases, population: node.preventableCases.population },
    fulfilment: { rate: fRate(fulfilment.current), then: fRate(fulfilment[compare]), counts: fulfilment.current?.counts },
    capture: { rate: node.stopCheckCapture.current.rate, then: node.stopCheckCapture[compare].rate, checks: node.stopCheckCapture.current.checks, captures: node.stopCheckCapture.current.captures },
    monitoring: { rate: node.monitoring.current.cameraShare, then: node.monitoring[compare].cameraShare, hourShare: node.monitoring.current.hourShare, cameras: node.monitoring.current.cameras, watched: node.monitoring.current.watchedCameras },
  };
}

function cell(column, f, compare) {
  const when = t(`rates.when.${compare}`);
  const td = h('td', { class: 'rate-cell', dataset: { rate: column } });
  if (column === 'decline') {
    const v = valueText(f.rate, (x) => pct(Math.abs(x)));
    td.dataset.value = v.value;
    const main = h('span', { class: 'rate-main' }, v.text);
    if (f.rate.value === null) {
      td.title = `${v.title} ${t('rates.declineCounts', { now: f.now, then: f.then, when })}`;
      td.append(main);
      return td;
    }
    const x = f.rate.value;
    // Fewer incidents is the good direction: ▼ green; more: ▲ red.
    const arrow = x > 0 ? '▼' : x < 0 ? '▲' : '＝';
    td.classList.add(x > 0 ? 'better' : x < 0 ? 'worse' : 'same');
    main.textContent = `${arrow} ${v.text}`;
    td.title = x > 0 ? t('rates.tip.declineFewer', { percent: pct(x, 0), when, now: f.now, then: f.then })
      : x < 0 ? t('rates.tip.declineMore', { percent: pct(-x, 0), when, now: f.now, then: f.then })
        : t('rates.tip.declineSame', { when, now: f.now });
    td.append(main, h('span', { class: 'rate-cmp' }, t('rates.declineCounts', { now: f.now, then: f.then, when })));
    return td;
  }
  const perTenK = column === 'preventable';
  const v = valueText(f.rate, perTenK ? (x) => dec(x) : (x) => pct(x));
  td.dataset.value = v.value;
  td.append(h('span', { class: 'rate-main' }, v.text));
  const detail = {
    preventable: () => t('rates.detail.preventable', { cases: f.cases, population: f.population === null ? '—' : formatNumber(f.population) }),
    fulfilment: () => (f.counts ? t('rates.detail.fulfilment', { fulfilled: f.counts.fulfilled, planned: f.counts.planned, missed: f.counts.missed, late: f.counts.late }) : ''),
    capture: () => t('rates.detail.capture', { captures: f.captures, checks: f.checks }),
    monitoring: () => t('rates.detail.monitoring', { watched: f.watched, cameras: f.cameras, hours: f.hourShare?.value === null || f.hourShare?.value === undefined ? '—' : pct(f.hourShare.value, 2) }),
  }[column]();
  if (f.rate.value === null) {
    td.title = [v.title, detail].filter(Boolean).join(' · ');
    return td;
  }
  if (f.then?.value === null || f.then?.value === undefined) {
    td.append(h('span', { class: 'rate-cmp', dataset: { delta: '' } }, t('rates.noComparison', { when })));
    td.title = [t('rates.tip.noComparison', { when, reason: t(`rates.reason.${f.then?.reason ?? 'UNKNOWN'}`) }), detail].filter(Boolean).join(' · ');
    return td;
  }
  const delta = f.rate.value - f.then.value;
  const arrow = delta > 0 ? '▲' : delta < 0 ? '▼' : '＝';
  // A higher preventable-case rate is worse; higher fulfilment, capture and monitoring are better.
  const good = perTenK ? delta < 0 : delta > 0;
  td.classList.add(delta === 0 ? 'same' : good ? 'better' : 'worse');
  const amount = perTenK ? dec(Math.abs(delta)) : formatNumber(Math.abs(delta) * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const deltaText = perTenK ? signed(amount, delta) : t('rates.pp', { value: signed(amount, delta) });
  td.append(h('span', { class: 'rate-cmp', dataset: { delta: String(delta) } }, `${arrow} ${deltaText}`));
  const thenText = perTenK ? dec(f.then.value) : pct(f.then.value);
  const tip = delta === 0 ? t('rates.tip.same', { when, then: thenText })
    : t(`rates.tip.${perTenK ? 'per10k' : 'pp'}.${delta > 0 ? 'higher' : 'lower'}`, { amount, when, then: thenText });
  td.title = [tip, detail].filter(Boolean).join(' · ');
  return td;
}

export function mountRates(container, { user, jurisdictions, notify }) {
  const d = new Disposer();
  const preset = h('select', { id: 'rates-period' }, PRESETS.map((p) => h('option', { value: p }, t(`rates.period.${p}`))));
  const now = new Date();
  const fromDay = h('input', { id: 'rates-from', type: 'date', value: dayValue(new Date(now.getFullYear(), now.getMonth(), 1)) });
  const toDay = h('input', { id: 'rates-to', type: 'date', value: dayValue(now) });
  const custom = h('span', { id: 'rates-custom', hidden: true }, h('label', {}, t('rates.from'), ' ', fromDay), ' ', h('label', {}, t('rates.to'), ' ', toDay));
  const compare = h('select', { id: 'rates-compare' }, ['samePeriodLastYear', 'previousPeriod'].map((c) => h('option', { value: c }, t(`rates.compare.${c}`))));
  const show = h('button', { type: 'submit', id: 'rates-show' }, t('rates.show'));
  const csv = h('button', { type: 'button', id: 'rates-csv', disabled: true }, t('rates.downloadCsv'));
  const html = h('button', { type: 'button', id: 'rates-html', disabled: true }, t('rates.downloadHtml'));
  const print = h('button', { type: 'button', id: 'rates-print', disabled: true }, t('rates.print'));
  const problem = h('span', { class: 'error', id: 'rates-problem', role: 'alert' });
  const form = h('form', { class: 'toolbar no-print', id: 'rates-form' },
    h('label', {}, t('rates.periodLabel'), ' ', preset), custom, h('label', {}, t('rates.compareLabel'), ' ', compare), show, csv, html, print, problem);
  const heading = h('h2', { id: 'rates-heading' });
  const info = h('p', { class: 'muted', id: 'rates-info' });
  const head = h('thead', {}, h('tr', {}, h('th', { class: 'name' }, t('rates.col.jurisdiction')), RATE_COLUMNS.map((c) => h('th', { dataset: { rate: c }, title: t(`rates.colHelp.${c}`) }, t(`rates.col.${c}`)))));
  const body = h('tbody', { id: 'rates-rows' });
  const table = h('table', { class: 'rates-table', id: 'rates-table' }, head, body);
  const legend = h('p', { class: 'muted', id: 'rates-legend' }, t('rates.legend'));
  container.append(form, heading, info, table, legend);

  const hasChildren = (id) => jurisdictions.some((j) => j.parentId === id);
  let period = null;
  let seq = 0;
  /** Loaded answers per node id: {rates, fulfilment}; rows drawn from them. */
  const loaded = new Map();
  const expanded = new Set();
  let tops = [];

  preset.addEventListener('change', () => { custom.hidden = preset.value !== 'custom'; });
  compare.addEventListener('change', () => draw());

  async function loadNode(id, mine) {
    const p = { jurisdictionId: id, from: period.from.toISOString(), to: period.to.toISOString() };
    const rates = await api('GET', `/api/rates${query(p)}`);
    const fulfil = (range) => api('GET', `/api/patrol/fulfilment${query({ jurisdictionId: id, from: range.from, to: range.to })}`).catch((e) => {
      if (e instanceof ApiError && e.status === 400) return null; // a comparison period the patrol log refuses (too long)
      throw e;
    });
    const [current, previousPeriod, samePeriodLastYear] = await Promise.all([fulfil(p), fulfil(rates.previousPeriod), fulfil(rates.samePeriodLastYear)]);
    if (mine !== seq) return;
    loaded.set(id, { rates, fulfilment: { current, previousPeriod, samePeriodLastYear } });
  }

  /** The fulfilment figures of `id` from the answer of its parent (children) or its own (node). */
  function fulfilmentOf(answer, id) {
    const pick = (f) => (f ? (f.jurisdictionId === id ? f : f.children.find((c) => c.jurisdictionId === id)) : null);
    return { current: pick(answer.fulfilment.current), previousPeriod: pick(answer.fulfilment.previousPeriod), samePeriodLastYear: pick(answer.fulfilment.samePeriodLastYear) };
  }

  function row(node, fulfilment, depth) {
    const j = node.jurisdiction;
    const canExpand = depth > 0 && hasChildren(j.id);
    const open = expanded.has(j.id);
    const toggle = canExpand
      ? h('button', { type: 'button', class: 'rates-toggle no-print', 'aria-expanded': String(open), title: t(open ? 'rates.collapse' : 'rates.expand'), onclick: () => void toggleNode(j.id) }, open ? '▾' : '▸')
      : h('span', { class: 'rates-toggle-space' });
    const figures = rowFigures(node, fulfilment, compare.value);
    return h('tr', { dataset: { id: j.id, code: j.code, tier: j.tier, depth: String(depth) }, class: depth === 0 ? 'rates-node' : '' },
      h('td', { class: 'name', style: `padding-left:${0.4 + depth * 1.4}em` }, toggle, ' ', h('span', { class: 'rates-name' }, j.name), ' ', h('span', { class: 'muted' }, tierName(j.tier))),
      RATE_COLUMNS.map((c) => cell(c, figures[c], compare.value)));
  }

  function rowsOf(id, depth) {
    const answer = loaded.get(id);
    if (!answer) return [];
    const out = depth === 0 ? [row(answer.rates.node, fulfilmentOf(answer, id), 0)] : [];
    for (const child of answer.rates.children) {
      out.push(row(child, fulfilmentOf(answer, child.jurisdiction.id), depth + 1));
      if (expanded.has(child.jurisdiction.id)) out.push(...rowsOf(child.jurisdiction.id, depth + 1));
    }
    return out;
  }

  function draw() {
    const rows = tops.flatMap((id) => rowsOf(id, 0));
    body.replaceChildren(...rows);
  }

  async function toggleNode(id) {
    if (expanded.has(id)) { expanded.delete(id); draw(); return; }
    const mine = seq;
    try {
      if (!loaded.has(id)) await loadNode(id, mine);
      if (mine !== seq) return;
      expanded.add(id);
      draw();
    } catch (e) { notify(describeError(e)); }
  }

  async function load() {
    period = periodOf(preset.value, fromDay.value, toDay.value);
    problem.textContent = period ? '' : t('rates.badPeriod');
    if (!period) return;
    const mine = ++seq;
    loaded.clear();
    expanded.clear();
    info.textContent = t('rates.loading');
    for (const b of [csv, html, print]) b.disabled = true;
    tops = user.jurisdictionId ? [user.jurisdictionId] : jurisdictions.filter((j) => !j.parentId).map((j) => j.id);
    try {
      for (const id of tops) await loadNode(id, mine);
    } catch (e) {
      if (mine !== seq) return;
      info.textContent = '';
      body.replaceChildren();
      notify(describeError(e));
      return;
    }
    if (mine !== seq) return;
    const first = loaded.get(tops[0]);
    heading.textContent = first ? t('rates.heading', { name: first.rates.node.jurisdiction?.name ?? '' }) : t('rates.nothing');
    info.textContent = first ? t('rates.info', {
      from: formatDate(period.from, { dateStyle: 'medium' }),
      to: formatDate(new Date(period.to.getTime() - 1), { dateStyle: 'medium' }),
      compared: t(`rates.compare.${compare.value}`),
    }) : '';
    for (const b of [csv, html, print]) b.disabled = !first;
    table.dataset.period = `${period.from.toISOString()}/${period.to.toISOString()}`;
    draw();
  }

  /** The report of the top node as a file (CSV or HTML), fetched with the session and saved. */
  async function download(format) {
    if (!period || !tops[0]) return;
    try {
      const p = { jurisdictionId: tops[0], from: period.from.toISOString(), to: period.to.toISOString(), format, lang: locale() };
      const res = await api('GET', `/api/reports/period${query(p)}`, undefined, { raw: true });
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `tiergate-report.${format}`;
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      d.timeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) { notify(describeError(e)); }
  }

  csv.addEventListener('click', () => void download('csv'));
  html.addEventListener('click', () => void download('html'));
  // Printed: this screen without the header and buttons (styles.css, body.printing-rates).
  print.addEventListener('click', () => {
    document.body.classList.add('printing-rates');
    try { window.print(); } finally { document.body.classList.remove('printing-rates'); }
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  void load();
  return () => { seq++; document.body.classList.remove('printing-rates'); d.dispose(); };
}
