// Small DOM helpers shared by the screens.

/** Creates an element: h('div', {class: 'x', onclick: fn}, child, 'text'). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node && key !== 'list' && key !== 'form') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Status values of the contract and their display colour class. */
export const STATUSES = ['online', 'offline', 'unauthorized', 'unknown'];
export const STATUS_COLOURS = { online: '#2e9d46', offline: '#c0392b', unauthorized: '#d68910', unknown: '#7f8c8d' };
export const statusColour = (s) => STATUS_COLOURS[s] ?? STATUS_COLOURS.unknown;

export function statusBadge(status) {
  return h('span', { class: `status status-${STATUSES.includes(status) ? status : 'unknown'}`, title: status }, status ?? 'unknown');
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
