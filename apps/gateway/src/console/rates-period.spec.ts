import { loadPureConsoleModule } from './console-pure-modules';

/** apps/gateway/console/rates-period.js: the rates screen's periods (docs/methods.md, "Console periods"). */
const { periodOf, PRESETS } = loadPureConsoleModule('rates-period.js', ['periodOf', 'PRESETS']);

/** A local date's parts, whatever TZ the test runs in (the module works in the browser's local time). */
const local = (d: Date) => [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];

describe('rates screen periods', () => {
  // 3 December 2026, 10:47 local: two full days and part of a third have passed this month.
  const now = new Date(2026, 11, 3, 10, 47);

  it('runs this month, quarter and year to the end of today, so a partial month meets periods of its own length', () => {
    const month = periodOf('this-month', '', '', now);
    expect(local(month.from)).toEqual([2026, 12, 1, 0, 0]);
    expect(local(month.to)).toEqual([2026, 12, 4, 0, 0]);
    expect(local(periodOf('this-quarter', '', '', now).from)).toEqual([2026, 10, 1, 0, 0]);
    expect(local(periodOf('this-quarter', '', '', now).to)).toEqual([2026, 12, 4, 0, 0]);
    expect(local(periodOf('this-year', '', '', now).from)).toEqual([2026, 1, 1, 0, 0]);
    expect(local(periodOf('this-year', '', '', now).to)).toEqual([2026, 12, 4, 0, 0]);
  });

  it('keeps last month whole, across a year boundary too', () => {
    const last = periodOf('last-month', '', '', now);
    expect([local(last.from), local(last.to)]).toEqual([[2026, 11, 1, 0, 0], [2026, 12, 1, 0, 0]]);
    const january = periodOf('last-month', '', '', new Date(2027, 0, 15, 9));
    expect([local(january.from), local(january.to)]).toEqual([[2026, 12, 1, 0, 0], [2027, 1, 1, 0, 0]]);
  });

  it('ends a running period on the last day of the month at the first of the next', () => {
    const last = periodOf('this-month', '', '', new Date(2026, 11, 31, 23, 59));
    expect(local(last.to)).toEqual([2027, 1, 1, 0, 0]);
  });

  it('takes a custom period as two days, the last inclusive, and refuses a missing or inverted one', () => {
    const p = periodOf('custom', '2026-11-02', '2026-11-08', now);
    expect([local(p.from), local(p.to)]).toEqual([[2026, 11, 2, 0, 0], [2026, 11, 9, 0, 0]]);
    expect(periodOf('custom', '2026-11-02', '2026-11-02', now)).not.toBeNull();
    expect(periodOf('custom', '2026-11-08', '2026-11-02', now)).toBeNull();
    expect(periodOf('custom', '', '2026-11-02', now)).toBeNull();
  });

  it('offers the presets in the screen order', () => {
    expect([...PRESETS]).toEqual(['this-month', 'last-month', 'this-quarter', 'this-year', 'custom']);
  });
});
