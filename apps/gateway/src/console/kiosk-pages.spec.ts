import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { locateConsoleDir } from './console-assets';

/** apps/gateway/console/kiosk-pages.js, evaluated as the browser loads it (see alert-order.spec.ts). */
const EXPORTS = ['monitorPage', 'msToNextTurn', 'serverClockOffset', 'monitorOf'];
function load(): Record<string, any> {
  const source = readFileSync(join(locateConsoleDir(), 'kiosk-pages.js'), 'utf8');
  expect(source).not.toMatch(/^\s*import\s/m);
  const context: { result?: Record<string, any>; URLSearchParams: typeof URLSearchParams } = { URLSearchParams };
  runInNewContext(`${source.replace(/^export /gm, '')}\nresult = { ${EXPORTS.join(', ')} };`, context);
  return context.result!;
}

const { monitorPage, msToNextTurn, serverClockOffset, monitorOf } = load();
const DWELL = 20_000;
const pagesAt = (nowMs: number, of: number, pages: number, dwellMs = DWELL) => Array.from({ length: of }, (_, i) => monitorPage({ nowMs, dwellMs, monitor: i + 1, of, pages }));

describe('kiosk pages (console/kiosk-pages.js)', () => {
  it('three monitors show three different consecutive pages and move on by three at each turn', () => {
    expect(pagesAt(0, 3, 7)).toEqual([0, 1, 2]);
    expect(pagesAt(DWELL - 1, 3, 7)).toEqual([0, 1, 2]);
    expect(pagesAt(DWELL, 3, 7)).toEqual([3, 4, 5]);
    expect(pagesAt(2 * DWELL, 3, 7)).toEqual([6, 0, 1]);
  });

  it('over a full cycle every page is shown, and at any moment no two monitors show the same page while pages suffice', () => {
    const seen = new Set<number>();
    for (let step = 0; step < 7; step++) {
      const now = step * DWELL + 1234;
      const shown = pagesAt(now, 3, 7);
      expect(new Set(shown).size).toBe(3);
      for (const p of shown) seen.add(p);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('is the formula of docs/kiosk.md: (floor(t / dwell) * of + k - 1) mod pages', () => {
    const t = 1_764_739_200_000 + 12_345;
    const k = 2;
    expect(monitorPage({ nowMs: t, dwellMs: DWELL, monitor: k, of: 4, pages: 11 })).toBe((Math.floor(t / DWELL) * 4 + k - 1) % 11);
  });

  it('without a tour each monitor keeps its own page; fewer pages than monitors repeat; no cameras is page 0', () => {
    expect(pagesAt(123_456_789, 3, 7, 0)).toEqual([0, 1, 2]);
    expect(pagesAt(0, 3, 2, 0)).toEqual([0, 1, 0]);
    expect(monitorPage({ nowMs: 5, dwellMs: DWELL, monitor: 1, of: 1, pages: 0 })).toBe(0);
  });

  it('a monitor number outside 1..of is kept inside', () => {
    expect(monitorPage({ nowMs: 0, dwellMs: DWELL, monitor: 9, of: 3, pages: 10 })).toBe(2);
    expect(monitorPage({ nowMs: 0, dwellMs: DWELL, monitor: 0, of: 3, pages: 10 })).toBe(0);
  });

  it('the next turn is at the next multiple of the dwell', () => {
    expect(msToNextTurn(0, DWELL)).toBe(DWELL);
    expect(msToNextTurn(DWELL - 1, DWELL)).toBe(1);
    expect(msToNextTurn(45_000, DWELL)).toBe(15_000);
    expect(msToNextTurn(45_000, 0)).toBe(Infinity);
  });

  it("the server clock offset is read from the Date header, taken at the middle of its second and of the round trip", () => {
    const header = 'Thu, 03 Dec 2026 07:00:10 GMT';
    const server = Date.parse(header);
    expect(serverClockOffset(header, server - 3000, server - 2000)).toBe(3000);
    expect(serverClockOffset(undefined, 1, 2)).toBe(0);
    expect(serverClockOffset('not a date', 1, 2)).toBe(0);
  });

  it('reads monitor and count from the route, else the first of the device monitors', () => {
    expect(monitorOf(new URLSearchParams('monitor=2&of=3'), 1)).toEqual({ monitor: 2, of: 3 });
    expect(monitorOf(new URLSearchParams(''), 2)).toEqual({ monitor: 1, of: 2 });
    expect(monitorOf(new URLSearchParams('monitor=5'), 2)).toEqual({ monitor: 2, of: 2 });
    expect(monitorOf(new URLSearchParams('monitor=x&of=-1'), undefined)).toEqual({ monitor: 1, of: 1 });
  });
});
