import type { Geometry } from '../geo';
import { fromWebMercator } from '../geo';
import { classifyEmerging, computeEmergingHotspots, EmergingCategory, mannKendall, sliceWindows, startOfLocalSlice, SLICE_MS } from './emerging-hotspots';
import { computeHotspots } from './gi-star.calculator';

describe('Mann-Kendall with ties (hand-computed)', () => {
  it('a strictly rising series: S = 10, Var = 5·4·15/18, z = 9/sqrt(Var)', () => {
    const r = mannKendall([1, 2, 3, 4, 5]);
    expect(r.s).toBe(10);
    expect(r.variance).toBeCloseTo(300 / 18, 12);
    expect(r.z).toBeCloseTo(2.2045407685048604, 12);
    expect(r.p).toBeCloseTo(0.027486336111510353, 10);
  });

  it('one tie group of 2: S = 5, Var = (156 − 18)/18, continuity-corrected z = 4/sqrt(Var)', () => {
    const r = mannKendall([1, 2, 2, 3]);
    expect(r.s).toBe(5);
    expect(r.variance).toBeCloseTo(138 / 18, 12);
    expect(r.z).toBeCloseTo(1.4446302370292303, 12);
    expect(r.p).toBeCloseTo(0.1485617748918687, 10);
  });

  it('a falling series with tie groups of 2 and 3: S = −11, Var = (510 − 18 − 66)/18, z = −10/sqrt(Var)', () => {
    const r = mannKendall([5, 5, 4, 4, 4, 1]);
    expect(r.s).toBe(-11);
    expect(r.variance).toBeCloseTo(426 / 18, 12);
    expect(r.z).toBeCloseTo(-2.055566129482595, 12);
    expect(r.p).toBeCloseTo(0.039824355364810736, 10);
  });

  it('a constant series has zero variance: z = 0, p = 1 (no division by zero)', () => {
    expect(mannKendall([2, 2, 2, 2])).toEqual({ s: 0, variance: 0, z: 0, p: 1 });
    expect(mannKendall([7])).toEqual({ s: 0, variance: 0, z: 0, p: 1 });
  });

  it('S = ±1 gives z = 0 after the continuity correction', () => {
    const r = mannKendall([1, 3, 2]);
    expect(r.s).toBe(1);
    expect(r.z).toBe(0);
    expect(r.p).toBe(1);
  });
});

describe('emerging categories on crafted Gi* series (10 slices, 90 % = 9 of 10)', () => {
  const H = 3;
  const C = -3;
  const ramp = (a: number, b: number) => Array.from({ length: 10 }, (_, k) => a + ((b - a) * k) / 9);
  const cases: Array<[EmergingCategory, number[]]> = [
    ['new-hot', [0, 0, 0, 0, 0, 0, 0, 0, 0, H]],
    ['consecutive-hot', [0, 0, 0, 0, 0, 0, 0, H, H, H]],
    ['consecutive-hot', [0, 0, H, H, H, H, H, H, H, H]], // 8 of 10: below 90 %
    ['intensifying-hot', [1, 2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8]],
    ['persistent-hot', [H, 2, H, 2, H, 2, H, 2, H, 2]],
    ['persistent-hot', [0, H, H, H, H, H, H, H, H, H]], // exactly 90 %, S = 9 with a tie group of 9: not significant
    ['diminishing-hot', ramp(3, 2)],
    ['sporadic-hot', [H, 0, 0, H, 0, 0, 0, 0, 0, H]],
    ['sporadic-hot', [0, 0, 0, 0, 0, H, 0, 0, H, H]],
    ['oscillating-hot', [C, 0, 0, 0, 0, 0, 0, 0, 0, H]], // never hot before, but cold before: oscillating, not new
    ['oscillating-hot', [0, 0, 0, 0, 0, 0, 0, C, H, H]],
    ['historical-hot', [H, H, H, H, H, H, H, H, H, 0]],
    ['new-cold', [0, 0, 0, 0, 0, 0, 0, 0, 0, C]],
    ['consecutive-cold', [0, 0, 0, 0, 0, 0, C, C, C, C]],
    ['intensifying-cold', ramp(-2, -3)],
    ['persistent-cold', [C, C, C, C, C, C, C, C, C, C]],
    ['diminishing-cold', ramp(-3, -2)],
    ['sporadic-cold', [C, 0, C, 0, 0, 0, 0, 0, 0, C]],
    ['oscillating-cold', [H, H, H, H, H, H, H, H, H, C]], // the last slice decides the family
    ['historical-cold', [C, C, C, C, C, C, C, C, C, 1]],
    ['none', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['none', [H, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['none', [1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6]],
  ];
  it.each(cases)('%s: %j', (expected, zs) => {
    expect(classifyEmerging(zs, mannKendall(zs))).toBe(expected);
  });

  it('the hot/cold threshold is |z| >= 1.645 and the trend threshold p <= 0.05', () => {
    expect(classifyEmerging([0, 0, 0, 0, 0, 0, 0, 0, 0, 1.645], { z: 0, p: 1 })).toBe('new-hot');
    expect(classifyEmerging([0, 0, 0, 0, 0, 0, 0, 0, 0, 1.6449], { z: 0, p: 1 })).toBe('none');
    const allHot = new Array(10).fill(H);
    expect(classifyEmerging(allHot, { z: 2, p: 0.05 })).toBe('intensifying-hot');
    expect(classifyEmerging(allHot, { z: 2, p: 0.0501 })).toBe('persistent-hot');
    expect(classifyEmerging(allHot, { z: -2, p: 0.05 })).toBe('diminishing-hot');
  });
});

describe('slices', () => {
  it('weeks start on local Monday 00:00, days at local midnight', () => {
    const wed = Date.parse('2026-03-11T10:00:00+08:00');
    expect(new Date(startOfLocalSlice(wed, 'week', 480)).toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(new Date(startOfLocalSlice(wed, 'day', 480)).toISOString()).toBe('2026-03-10T16:00:00.000Z');
    const monday = Date.parse('2026-03-09T00:00:00+08:00');
    expect(startOfLocalSlice(monday, 'week', 480)).toBe(monday);
    expect(startOfLocalSlice(monday - 1, 'week', 480)).toBe(monday - SLICE_MS.week);
    expect(new Date(startOfLocalSlice(Date.parse('2026-03-15T23:59:00Z'), 'week', 0)).toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('lays N slices back to back ending at `to`; with `from` drops a partial first slice; refuses fewer than 10', () => {
    const to = Date.parse('2026-03-09T00:00:00Z');
    const w = sliceWindows({ to, unit: 'week', slices: 12 });
    expect(w).toHaveLength(12);
    expect(w[11].to).toBe(to);
    expect(w[0].from).toBe(to - 12 * SLICE_MS.week);
    for (let k = 1; k < w.length; k++) expect(w[k].from).toBe(w[k - 1].to);
    const fromDays = sliceWindows({ to, unit: 'day', from: to - 10.5 * SLICE_MS.day });
    expect(fromDays).toHaveLength(10);
    expect(fromDays[0].from).toBe(to - 10 * SLICE_MS.day);
    expect(() => sliceWindows({ to, unit: 'week', from: to - 9 * SLICE_MS.week })).toThrow(/from: the period must hold 10 to 104 whole slices/);
    expect(() => sliceWindows({ to, unit: 'week', slices: 105 })).toThrow(/slices/);
  });
});

describe('computeEmergingHotspots', () => {
  // A 2.5 km square study area of 10 x 10 cells of 250 m, away from the origin.
  const cell = 250;
  const x0 = 13_500_000;
  const y0 = 5_100_000;
  const corner = (i: number, j: number) => {
    const { lon, lat } = fromWebMercator(x0 + i * cell, y0 + j * cell);
    return [lon, lat] as [number, number];
  };
  const study: Geometry = { type: 'Polygon', coordinates: [[corner(0, 0), corner(10, 0), corner(10, 10), corner(0, 10), corner(0, 0)]] };
  const inCell = (i: number, j: number, k: number) => fromWebMercator(x0 + (i + 0.3 + (k % 5) * 0.1) * cell, y0 + (j + 0.5) * cell);
  const to = Date.parse('2026-03-09T00:00:00+08:00');
  const windows = sliceWindows({ to, unit: 'week', slices: 10 });
  /** Monday 19:xx local in slice k. */
  const at = (k: number, m: number) => windows[k].from + 19 * 3_600_000 + m * 60_000;

  const incidents: Array<{ lon: number; lat: number; at: number }> = [];
  for (let k = 0; k < 10; k++) {
    // A background of one incident per slice in a spread of cells, so S > 0 in every slice.
    for (let c = 0; c < 10; c++) incidents.push({ ...inCell((c * 3 + k) % 10, (c * 7 + k * 3) % 10, c), at: at(k, c) + 2 * 86_400_000 });
  }
  // A cluster that appears only in the last slice: 12 incidents in cell (2, 2), Monday 19:00.
  for (let m = 0; m < 12; m++) incidents.push({ ...inCell(2, 2, m), at: at(9, m) });
  // Outside every slice and outside the study area: left out.
  incidents.push({ ...inCell(2, 2, 0), at: windows[0].from - 1 });
  incidents.push({ ...fromWebMercator(x0 - 5 * cell, y0), at: at(3, 0) });

  const result = computeEmergingHotspots({ incidents, studyArea: [study], windows, cellSize: cell, radius: 250, utcOffsetMinutes: 480 });

  it('uses the contract Gi* in every slice (the same z as GET /api/hotspots over that slice)', () => {
    expect(result.n).toBe(100);
    let compared = 0;
    for (let k = 0; k < 10; k++) {
      const slice = computeHotspots({ incidents: incidents.filter((i) => i.at >= windows[k].from && i.at < windows[k].to), studyArea: [study], cellSize: cell, radius: 250 });
      for (const c of slice.cells) {
        const mine = result.cells.find((e) => e.x === c.x && e.y === c.y);
        if (!mine) {
          // Left out only when it never had an incident and has no pattern.
          expect(c.count).toBe(0);
          continue;
        }
        expect(mine.slices[k].z).toBeCloseTo(c.z, 12);
        expect(mine.slices[k].count).toBe(c.count);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('finds the new hot spot and guides patrols to it on Monday 19:00', () => {
    const { x, y } = { x: Math.floor(x0 / cell) + 2, y: Math.floor(y0 / cell) + 2 };
    const hot = result.cells.find((c) => c.x === x && c.y === y)!;
    expect(hot.category).toBe('new-hot');
    expect(result.cells[0]).toBe(hot);
    expect(result.guidance[0]).toEqual(expect.objectContaining({ x, y, category: 'new-hot' }));
    // The background falls on Wednesdays: Monday 19:00 holds exactly the 12 planted incidents.
    expect(result.guidance[0].peaks[0]).toEqual({ weekday: 0, hour: 19, count: 12 });
    expect(result.guidance[0].hourWeekday[2].reduce((a, b) => a + b, 0)).toBe(result.guidance[0].count - 12);
    expect(result.guidance.every((g) => ['intensifying-hot', 'new-hot', 'consecutive-hot', 'persistent-hot'].includes(g.category))).toBe(true);
    expect(result.cells.reduce((a, c) => a + c.count, 0)).toBe(112);
    // One entry per spot: no two guided cells within the band (250 m: the 4 side neighbours).
    for (const a of result.guidance) for (const b of result.guidance) if (a !== b) expect(Math.abs(a.x - b.x) + Math.abs(a.y - b.y)).toBeGreaterThan(1);
  });
});
