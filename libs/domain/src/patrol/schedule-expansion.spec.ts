import { expandSchedule, isPlannedTime } from './schedule-expansion';
import { fromLocal, offsetMinutes, toLocal } from './zoned-time';

const SH = 'Asia/Shanghai';
/** An instant given as Shanghai wall time (UTC+8, no DST). */
const sh = (iso: string) => Date.parse(`${iso}+08:00`);
const asSh = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
const nightly = { kind: 'interval' as const, everyMinutes: 120, from: '20:00', to: '06:00' };

describe('expandSchedule (Asia/Shanghai)', () => {
  it('every two hours from 20:00 to 06:00 crosses midnight: 20, 22, 00, 02, 04 and 06 (end included)', () => {
    const times = expandSchedule(nightly, { fromMs: sh('2026-03-01T12:00'), toMs: sh('2026-03-02T12:00') }, SH);
    expect(times.map(asSh)).toEqual(['2026-03-01T20:00', '2026-03-01T22:00', '2026-03-02T00:00', '2026-03-02T02:00', '2026-03-02T04:00', '2026-03-02T06:00']);
    expect(times[0]).toBe(Date.parse('2026-03-01T12:00:00Z'));
  });

  it("a period starting at midnight holds the previous evening's window tail, and the period end is exclusive", () => {
    const times = expandSchedule(nightly, { fromMs: sh('2026-03-02T00:00'), toMs: sh('2026-03-02T22:00') }, SH);
    expect(times.map(asSh)).toEqual(['2026-03-02T00:00', '2026-03-02T02:00', '2026-03-02T04:00', '2026-03-02T06:00', '2026-03-02T20:00']);
  });

  it('a boundary exactly on a planned time: in at the start, out at the end; a week holds 7 × 6', () => {
    expect(expandSchedule(nightly, { fromMs: sh('2026-03-01T22:00'), toMs: sh('2026-03-02T02:00') }, SH).map(asSh)).toEqual(['2026-03-01T22:00', '2026-03-02T00:00']);
    expect(expandSchedule(nightly, { fromMs: sh('2026-03-02T12:00'), toMs: sh('2026-03-09T12:00') }, SH)).toHaveLength(42);
  });

  it('Shanghai keeps UTC+8 all year (no DST): the same wall times in January and July', () => {
    for (const month of ['01', '07']) {
      const times = expandSchedule(nightly, { fromMs: sh(`2026-${month}-10T12:00`), toMs: sh(`2026-${month}-11T12:00`) }, SH);
      expect(times.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['12:00', '14:00', '16:00', '18:00', '20:00', '22:00']);
    }
    expect(offsetMinutes(sh('2026-07-01T00:00'), SH)).toBe(480);
    expect(offsetMinutes(sh('2026-01-01T00:00'), SH)).toBe(480);
  });

  it('a daytime window, a whole day (from = to) without a duplicate end, ad hoc plans nothing', () => {
    const day = { fromMs: sh('2026-03-01T00:00'), toMs: sh('2026-03-02T00:00') };
    expect(expandSchedule({ kind: 'interval', everyMinutes: 90, from: '08:00', to: '12:00' }, day, SH).map(asSh)).toEqual(['2026-03-01T08:00', '2026-03-01T09:30', '2026-03-01T11:00']);
    expect(expandSchedule({ kind: 'interval', everyMinutes: 360, from: '00:00', to: '00:00' }, day, SH).map((t) => asSh(t).slice(11))).toEqual(['00:00', '06:00', '12:00', '18:00']);
    expect(expandSchedule({ kind: 'ad-hoc' }, day, SH)).toEqual([]);
  });

  it('another zone with DST keeps wall-clock times (Europe/Berlin across the March change)', () => {
    const times = expandSchedule({ kind: 'interval', everyMinutes: 60, from: '01:00', to: '04:00' }, { fromMs: Date.parse('2026-03-28T12:00Z'), toMs: Date.parse('2026-03-29T12:00Z') }, 'Europe/Berlin');
    expect(times.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['00:00', '01:00', '02:00']);
    // 01:00 CET = 00:00Z; 02:00 does not exist (03:00 CEST = 01:00Z); 03:00 CEST = 01:00Z; 04:00 CEST = 02:00Z
    expect(times.map((t) => toLocal(t, 'Europe/Berlin').hour)).toEqual([1, 3, 4]);
  });

  it('isPlannedTime answers whether a start names a planned slot', () => {
    expect(isPlannedTime(nightly, sh('2026-03-02T02:00'), SH)).toBe(true);
    expect(isPlannedTime(nightly, sh('2026-03-02T03:00'), SH)).toBe(false);
    expect(fromLocal({ year: 2026, month: 3, day: 1, hour: 25, minute: 0 }, SH)).toBe(sh('2026-03-02T01:00'));
  });
});
