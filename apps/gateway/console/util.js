// Small DOM helpers shared by the screens.
import { statusName } from './i18n.js';

// Every string from the server (names from operators, admins and the devices themselves) reaches the page as
// text: through h() children (text nodes), plainText() for Leaflet tooltips, or textContent. Never innerHTML.

/** Attributes that would parse markup or run code: h() refuses them. */
const FORBIDDEN_ATTRS = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
/** Attributes holding a URL: only same-origin paths, fragments, http(s) and blob: URLs are set. */
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

/** Whether a URL is one the console may link to or load (no javascript:, data: or other schemes). */
export function isSafeUrl(value) {
  const s = String(value).trim();
  return s.startsWith('#') || (s.startsWith('/') && !s.startsWith('//')) || /^(https?|blob):/i.test(s);
}

/** Creates an element: h('div', {class: 'x', onclick: fn}, child, 'text'). Strings become text, never markup. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (FORBIDDEN_ATTRS.has(key)) throw new Error(`h(): ${key} is not allowed; pass children`);
    if (key.startsWith('on')) {
      if (typeof value !== 'function') throw new Error(`h(): ${key} must be a function`);
      node.addEventListener(key.slice(2), value);
      continue;
    }
    if (URL_ATTRS.has(key.toLowerCase()) && !isSafeUrl(value)) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node && key !== 'list' && key !== 'form') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * A DOM node showing `text` literally, for APIs that would read a string as HTML (Leaflet's bindTooltip and
 * bindPopup set innerHTML for strings, but append nodes as they are).
 */
export function plainText(text, attrs = {}) {
  return h('span', attrs, String(text ?? ''));
}

/** Status values of the contract and their display colour class. */
export const STATUSES = ['online', 'offline', 'unauthorized', 'unknown'];
export const STATUS_COLOURS = { online: '#2e9d46', offline: '#c0392b', unauthorized: '#d68910', unknown: '#7f8c8d' };
export const statusColour = (s) => STATUS_COLOURS[s] ?? STATUS_COLOURS.unknown;

export function statusBadge(status) {
  const known = STATUSES.includes(status) ? status : 'unknown';
  return h('span', { class: `status status-${known}`, title: statusName(status ?? 'unknown'), dataset: { status: known } }, statusName(status ?? 'unknown'));
}

/** Query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Tags typed as "a, b; c" -> ['a','b','c']. */
export function parseTags(text) {
  return [...new Set(String(text ?? '').split(/[,;]/).map((t) => t.trim()).filter(Boolean))];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Collects cleanup callbacks so a screen can release everything it started in one call. */
export class Disposer {
  #fns = [];
  add(fn) { this.#fns.push(fn); return fn; }
  interval(fn, ms) { const id = setInterval(fn, ms); this.add(() => clearInterval(id)); return id; }
  timeout(fn, ms) { const id = setTimeout(fn, ms); this.add(() => clearTimeout(id)); return id; }
  listen(target, type, fn, opts) { target.addEventListener(type, fn, opts); this.add(() => target.removeEventListener(type, fn, opts)); }
  dispose() { for (const fn of this.#fns.splice(0).reverse()) { try { fn(); } catch (e) { console.error(e); } } }
}
