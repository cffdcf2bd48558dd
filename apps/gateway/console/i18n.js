// The console's words in zh-CN and en: the language from the browser (zh* -> zh-CN, else en) or the header's
// switch (remembered in localStorage); dates and numbers through Intl in that language; API error codes as
// sentences. Every result is a plain string for textContent or text nodes, never markup.
import en from './i18n/en.js';
import zhCN from './i18n/zh-CN.js';

export const LOCALES = ['zh-CN', 'en'];
const TABLES = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'tiergate.locale';
const loggedMissing = new Set();

/** zh-CN for a browser whose first Chinese-or-English language is Chinese, else en. */
export function pickLocale(languages) {
  const first = (languages ?? []).find((l) => /^(zh|en)\b/i.test(String(l)));
  return first && /^zh/i.test(first) ? 'zh-CN' : 'en';
}

function initialLocale() {
  let stored = null;
  try { stored = localStorage.getItem(STORAGE_KEY); } catch { stored = null; }
  if (LOCALES.includes(stored)) return stored;
  return pickLocale(typeof navigator === 'undefined' ? [] : (navigator.languages?.length ? navigator.languages : [navigator.language]));
}

let current = initialLocale();

export function locale() { return current; }

/** Remembers `value` and reloads the page so every screen is drawn again in it (the session survives). */
export function setLocale(value, { reload = true } = {}) {
  if (!LOCALES.includes(value)) return;
  current = value;
  try { localStorage.setItem(STORAGE_KEY, value); } catch { /* private mode: this page only */ }
  if (reload) location.reload();
}

/** Whether the current language (or en) has `key`. */
export function hasKey(key) {
  return own(TABLES[current], key) || own(en, key);
}

const own = (table, key) => Object.prototype.hasOwnProperty.call(table, key);
/** The key itself, or its plural form `key#one` / `key#other` (Intl.PluralRules) when a count is given. */
const forms = (key, count, lang) => (typeof count === 'number' ? [`${key}#${new Intl.PluralRules(lang).select(count)}`, key] : [key]);

function lookup(key, count) {
  const table = TABLES[current];
  for (const f of forms(key, count, current)) if (own(table, f)) return table[f];
  for (const f of forms(key, count, 'en')) if (own(en, f)) return table === en ? en[f] : missing(key, en[f]);
  return missing(key, key);
}

function missing(key, value) {
  if (!loggedMissing.has(key)) {
    loggedMissing.add(key);
    console.warn(`i18n: no ${current} text for "${key}"`);
  }
  return value;
}

/** The text of `key` with `{name}` replaced by params (numbers formatted in the locale). */
export function t(key, params) {
  const text = lookup(key, params?.count);
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in params)) return m;
    const v = params[name];
    return typeof v === 'number' ? formatNumber(v) : String(v ?? '');
  });
}

export function formatNumber(value, options) {
  return new Intl.NumberFormat(current, options).format(value);
}

/** A date (Date, ms or ISO string) in the locale; default: date and time to the minute. */
export function formatDate(value, options = { dateStyle: 'medium', timeStyle: 'short' }) {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '' : new Intl.DateTimeFormat(current, options).format(d);
}

/** hh:mm in the locale's 24-hour clock. */
export function formatTime(value) {
  return formatDate(value, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** Short weekday names Monday first ("Mon" / "周一"). */
export function weekdayNames(width = 'short') {
  const fmt = new Intl.DateTimeFormat(current, { weekday: width, timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => fmt.format(new Date(Date.UTC(2024, 0, 1 + i)))); // 2024-01-01 was a Monday
}

/**
 * A sentence for an API error code; `scope` picks a more precise one where it exists (error.login.UNAUTHENTICATED).
 * Unknown codes show `fallback` (the server's message).
 */
export function errorText(code, fallback, scope) {
  for (const key of [scope && `error.${scope}.${code}`, `error.${code}`]) {
    if (key && hasKey(key)) return t(key);
  }
  // An answer without a body of ours (a proxy's 502 page, say): the client names it HTTP_<status>.
  const http = /^HTTP_(\d{3})$/.exec(String(code ?? ''));
  if (http) return t('error.HTTP', { status: http[1] });
  return fallback ?? String(code ?? '');
}

/** Display names of values from the server; anything unknown is shown as it is. */
const named = (prefix) => (value) => (value !== undefined && value !== null && hasKey(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : String(value ?? ''));
export const statusName = named('status');
export const tierName = named('tier');
export const roleName = named('role');
export const incidentTypeName = named('incidentType');
export const confidenceName = named('confidence');

/** Sets the page's lang and title and the text of every [data-i18n] element of the static HTML. */
export function applyToDocument(doc = document) {
  doc.documentElement.lang = current;
  doc.title = t('app.title');
  for (const el of doc.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

/** Fills a <select> with the console's languages (each named in itself); choosing one switches and reloads. */
export function bindLanguageSelect(select) {
  select.replaceChildren(...LOCALES.map((l) => {
    const option = document.createElement('option');
    option.value = l;
    option.textContent = t(`locale.${l}`);
    option.selected = l === current;
    return option;
  }));
  select.title = t('header.language');
  select.onchange = () => setLocale(select.value);
  return select;
}
