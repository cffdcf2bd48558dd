// Keyboard navigation without the DOM: which tile a key moves to on the wall's grid, what a key does on a tile, and
// the device tree's type-ahead. No imports and no I/O: the unit spec evaluates this file as the browser loads it
// (apps/gateway/src/console/keyboard-nav.spec.ts). The keys are listed for users in docs/accessibility.md.

/**
 * The tile index the focus moves to from `index` on a grid of `count` tiles in `cols` columns, for `key`, or null when
 * the key does not move. Left/Right go in reading order (Right on the last tile of a row goes to the first of the next
 * row), Up/Down by column; at an edge the focus stays (the index itself is answered). Home: the first tile, End: the last.
 */
export function gridMove(key, index, cols, count) {
  if (!(count > 0)) return null;
  const c = Math.max(1, Math.floor(cols) || 1);
  const i = Math.min(Math.max(0, Math.floor(index) || 0), count - 1);
  switch (key) {
    case 'ArrowRight': return Math.min(i + 1, count - 1);
    case 'ArrowLeft': return Math.max(i - 1, 0);
    case 'ArrowDown': return i + c < count ? i + c : i;
    case 'ArrowUp': return i - c >= 0 ? i - c : i;
    case 'Home': return 0;
    case 'End': return count - 1;
    default: return null;
  }
}

/**
 * What a key pressed on a wall tile does: {move: index} (gridMove), {open: true} (Enter or F: the tile's camera full
 * screen), {page: -1 | 1} (PageUp / PageDown: the wall's previous / next page), or null (the key is left to the
 * browser). A key with Ctrl, Alt or Meta is never taken (Ctrl+F is the browser's search); Shift is allowed only on
 * Enter. `e`: {key, ctrlKey, altKey, metaKey, shiftKey}.
 */
export function tileKeyAction(e, index, cols, count) {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (e.key === 'Enter') return { open: true };
  if (e.shiftKey) return null;
  if (e.key === 'f' || e.key === 'F') return { open: true };
  if (e.key === 'PageUp') return { page: -1 };
  if (e.key === 'PageDown') return { page: 1 };
  const to = gridMove(e.key, index, cols, count);
  return to === null ? null : { move: to };
}

/** A printable key for type-ahead: one character, no Ctrl/Alt/Meta, not a space at the start of a search. */
export function isTypeAheadKey(e, buffer = '') {
  if (e.ctrlKey || e.altKey || e.metaKey || typeof e.key !== 'string' || [...e.key].length !== 1) return false;
  return !(e.key === ' ' && !buffer);
}

/**
 * Type-ahead in a list of item names (the tree's visible items, in order): the index of the first item after `from`
 * (wrapping round, `from` itself last) whose name starts with `prefix` (case-insensitive, Unicode-normalised), or -1.
 * When `prefix` is one character repeated ("ee"), the next item starting with that character is answered, so pressing
 * a letter again steps through the items that start with it. `initials` (optional): name → pinyin initials
 * (device-tree-model.js makePinyinInitials), so a Latin letter also finds a Chinese name by its initial.
 */
export function typeAheadIndex(names, from, prefix, initials = null) {
  const norm = (s) => String(s ?? '').normalize('NFKC').toLowerCase().trim();
  let p = norm(prefix);
  if (!p || !names.length) return -1;
  const chars = [...p];
  const repeated = chars.length > 1 && chars.every((ch) => ch === chars[0]);
  if (repeated) p = chars[0];
  const n = names.length;
  const start = Number.isInteger(from) && from >= 0 && from < n ? from : -1;
  // A repeated letter (or a new one-letter search) steps on from the current item; a longer prefix may stay on it.
  const first = repeated || [...p].length === 1 ? 1 : 0;
  const base = start < 0 ? 0 : start + first;
  for (let k = 0; k < n; k++) {
    const i = (base + k) % n;
    const name = norm(names[i]);
    if (name.startsWith(p)) return i;
    if (initials && /^[a-z0-9]+$/.test(p) && initials(names[i])?.startsWith(p)) return i;
  }
  return -1;
}
