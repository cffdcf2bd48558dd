// The wall's tiles by keyboard: one tab stop for the whole grid (a roving tabindex: the last tile focused, else the
// first), arrow keys, Home and End move between the tiles of the page (keyboard-nav.js gridMove), Enter or F opens the
// focused tile's camera full screen (the overlay gives the focus back to the tile when it closes: overlay.js),
// PageUp / PageDown turn the wall's page. The keys are listed for users in docs/accessibility.md.
import { t } from './i18n.js';
import { tileKeyAction } from './keyboard-nav.js';
import { openLive } from './overlay.js';

/**
 * Keyboard handling on `grid` (the element holding the tiles' elements). `tiles()`: the WallTile objects of the page
 * in order; `cols()`: the grid's columns; `turn(delta)`: shows the previous / next page (re-rendering the tiles).
 * Returns {focusedIndex(), refresh(refocus), destroy()}: the wall calls refresh after each render, with the index
 * focusedIndex() answered before it, so a tile focused before a re-render is focused after it.
 */
export function mountTileKeys(grid, { tiles, cols, turn }) {
  let active = 0;
  grid.setAttribute('role', 'group');
  grid.setAttribute('aria-label', t('a11y.wallGrid'));

  const indexOf = (el) => tiles().findIndex((tile) => tile.el === el);
  function focusedIndex() {
    const el = document.activeElement;
    return el && grid.contains(el) ? indexOf(el.closest('.tile')) : -1;
  }

  function refresh(refocus = -1) {
    const list = tiles();
    if (refocus >= 0) active = refocus;
    if (active >= list.length) active = Math.max(0, list.length - 1);
    list.forEach((tile, i) => {
      tile.el.dataset.index = String(i);
      tile.setPosition(i, list.length);
      tile.setTabStop(i === active);
    });
    const el = list[active]?.el;
    if (refocus >= 0 && el && document.activeElement !== el && !el.contains(document.activeElement)) el.focus({ preventScroll: true });
  }

  function focusTile(i) {
    active = i;
    refresh();
    tiles()[i]?.el.focus();
  }

  const onKey = (e) => {
    const el = e.target;
    if (!el?.classList?.contains('tile')) return; // a tile's own buttons keep their keys
    const list = tiles();
    const i = indexOf(el);
    if (i < 0) return;
    const action = tileKeyAction(e, i, cols(), list.length);
    if (!action) return;
    e.preventDefault();
    if (action.move !== undefined) focusTile(action.move);
    else if (action.open) { if (list[i].camera) openLive(list[i].camera, 'main'); }
    else if (action.page) { turn(action.page); focusTile(Math.min(i, tiles().length - 1)); }
  };
  // A click or Tab into a tile (or onto one of its buttons) makes it the grid's tab stop.
  const onFocus = (e) => {
    const i = indexOf(e.target?.closest?.('.tile'));
    if (i >= 0 && i !== active) { active = i; refresh(); }
  };
  grid.addEventListener('keydown', onKey);
  grid.addEventListener('focusin', onFocus);
  return {
    focusedIndex,
    refresh,
    destroy() {
      grid.removeEventListener('keydown', onKey);
      grid.removeEventListener('focusin', onFocus);
    },
  };
}
