import { loadPureConsoleModule } from './console-pure-modules';

/** apps/gateway/console/keyboard-nav.js, evaluated as the browser loads it (console-pure-modules.ts). */
const { gridMove, tileKeyAction, isTypeAheadKey, typeAheadIndex } = loadPureConsoleModule('keyboard-nav.js', ['gridMove', 'tileKeyAction', 'isTypeAheadKey', 'typeAheadIndex']);
const key = (k: string, mods: Record<string, boolean> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });

describe('wall grid movement (console/keyboard-nav.js gridMove)', () => {
  // A 3×3 wall: 0 1 2 / 3 4 5 / 6 7 8
  it.each([
    ['ArrowRight', 4, 5], ['ArrowLeft', 4, 3], ['ArrowDown', 4, 7], ['ArrowUp', 4, 1],
    ['ArrowRight', 2, 3], // reading order: the end of a row goes on to the next row
    ['ArrowLeft', 3, 2],
    ['ArrowRight', 8, 8], ['ArrowLeft', 0, 0], ['ArrowDown', 7, 7], ['ArrowUp', 1, 1], // edges: the focus stays
    ['Home', 5, 0], ['End', 1, 8],
  ])('%s from %i on a 3×3 wall goes to %i', (k, from, to) => {
    expect(gridMove(k, from, 3, 9)).toBe(to);
  });

  it('a short last row: Down goes only where there is a tile', () => {
    // 4 columns, 6 tiles: 0 1 2 3 / 4 5
    expect(gridMove('ArrowDown', 1, 4, 6)).toBe(5);
    expect(gridMove('ArrowDown', 2, 4, 6)).toBe(2);
    expect(gridMove('End', 0, 4, 6)).toBe(5);
  });

  it('a single tile, a bad index and no tiles', () => {
    for (const k of ['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End']) expect(gridMove(k, 0, 1, 1)).toBe(0);
    expect(gridMove('ArrowRight', 99, 2, 4)).toBe(3); // clamped to the last tile first
    expect(gridMove('ArrowRight', 0, 2, 0)).toBeNull();
    expect(gridMove('Tab', 0, 2, 4)).toBeNull();
  });
});

describe('a key on a wall tile (tileKeyAction)', () => {
  it('Enter and F open full screen; PageUp/PageDown turn the page; arrows move', () => {
    expect(tileKeyAction(key('Enter'), 0, 2, 4)).toEqual({ open: true });
    expect(tileKeyAction(key('Enter', { shiftKey: true }), 0, 2, 4)).toEqual({ open: true });
    expect(tileKeyAction(key('f'), 0, 2, 4)).toEqual({ open: true });
    expect(tileKeyAction(key('F'), 0, 2, 4)).toEqual({ open: true });
    expect(tileKeyAction(key('PageDown'), 0, 2, 4)).toEqual({ page: 1 });
    expect(tileKeyAction(key('PageUp'), 0, 2, 4)).toEqual({ page: -1 });
    expect(tileKeyAction(key('ArrowDown'), 1, 2, 4)).toEqual({ move: 3 });
  });

  it('leaves the browser its own keys: Ctrl+F, Alt+arrows, Tab, Escape, Shift+F', () => {
    expect(tileKeyAction(key('f', { ctrlKey: true }), 0, 2, 4)).toBeNull();
    expect(tileKeyAction(key('ArrowLeft', { altKey: true }), 1, 2, 4)).toBeNull();
    expect(tileKeyAction(key('ArrowRight', { metaKey: true }), 1, 2, 4)).toBeNull();
    expect(tileKeyAction(key('Tab'), 0, 2, 4)).toBeNull();
    expect(tileKeyAction(key('Escape'), 0, 2, 4)).toBeNull();
    expect(tileKeyAction(key('F', { shiftKey: true }), 0, 2, 4)).toBeNull();
  });
});

describe('type-ahead in the device tree (typeAheadIndex)', () => {
  const names = ['Elm Post', 'Elm gate', 'East yard', '北门岗亭', 'Station yard', 'elm garage'];
  const initials = (s: string) => (s === '北门岗亭' ? 'bmgt' : s.toLowerCase().replace(/[^a-z0-9]/g, ''));

  it('finds the next name starting with the letters, case-insensitive, wrapping round', () => {
    expect(typeAheadIndex(names, 0, 's')).toBe(4);
    expect(typeAheadIndex(names, 4, 'e')).toBe(5);
    expect(typeAheadIndex(names, 5, 'e')).toBe(0); // wraps
    expect(typeAheadIndex(names, 1, 'elm g')).toBe(1); // a longer prefix may stay on the current item
    expect(typeAheadIndex(names, 0, 'ea')).toBe(2);
    expect(typeAheadIndex(names, -1, 'E')).toBe(0); // nothing focused: from the top
  });

  it('a repeated letter steps through the names starting with it', () => {
    expect(typeAheadIndex(names, 0, 'ee')).toBe(1);
    expect(typeAheadIndex(names, 1, 'eee')).toBe(2);
  });

  it('a Latin letter finds a Chinese name by its pinyin initial; a Chinese prefix by its characters; no match is -1', () => {
    expect(typeAheadIndex(names, 0, 'b', initials)).toBe(3);
    expect(typeAheadIndex(names, 0, 'b')).toBe(-1);
    expect(typeAheadIndex(names, 0, '北门')).toBe(3);
    expect(typeAheadIndex(names, 0, 'zz', initials)).toBe(-1);
    expect(typeAheadIndex([], 0, 'a')).toBe(-1);
  });

  it('which keys type: printable single characters without Ctrl/Alt/Meta, a space only inside a search', () => {
    expect(isTypeAheadKey(key('a'))).toBe(true);
    expect(isTypeAheadKey(key('北'))).toBe(true);
    expect(isTypeAheadKey(key('ArrowDown'))).toBe(false);
    expect(isTypeAheadKey(key('a', { ctrlKey: true }))).toBe(false);
    expect(isTypeAheadKey(key(' '))).toBe(false);
    expect(isTypeAheadKey(key(' '), 'elm')).toBe(true);
  });
});
