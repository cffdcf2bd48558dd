import { captureRate } from './capture-rate';
import { declineRate } from './decline-rate';
import { cameraWatches, monitoringRate, monitoringTotals, unionLength, addMonitoringTotals } from './monitoring-rate';
import { preventableRate, rolledUpPopulations } from './preventable-rate';
import { checkedPeriod, previousPeriod, samePeriodLastYear } from './rate-period';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 0);

describe('periods', () => {
  it('previous period: the same length ending where the period starts', () => {
    const p = { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 3, 1) }; // March: 31 days
    expect(previousPeriod(p)).toEqual({ from: Date.UTC(2026, 0, 29), to: Date.UTC(2026, 2, 1) });
  });
  it('same period last year keeps month, day and time; 29 February becomes 28 February', () => {
    expect(samePeriodLastYear({ from: Date.UTC(2026, 2, 1, 16), to: Date.UTC(2026, 3, 1, 16) })).toEqual({ from: Date.UTC(2025, 2, 1, 16), to: Date.UTC(2025, 3, 1, 16) });
    expect(samePeriodLastYear({ from: Date.UTC(2028, 1, 29), to: Date.UTC(2028, 2, 1) })).toEqual({ from: Date.UTC(2027, 1, 28), to: Date.UTC(2027, 2, 1) });
  });
  it('refuses an empty or reversed period, naming the field', () => {
    expect(() => checkedPeriod(T0, T0)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: 'to' } }));
    expect(() => checkedPeriod(T0, T0 - 1)).toThrow('to must be later than from');
  });
});

describe('declineRate', () => {
  it('(previous − current) / previous: 8 against 10 is a 20 % decline, 15 against 10 a 50 % rise', () => {
    expect(declineRate(8, 10)).toEqual({ current: 8, comparison: 10, rate: { value: 0.2 } });
    expect(declineRate(15, 10).rate.value).toBeCloseTo(-0.5, 12);
  });
  it('an empty period against a full one is a 100 % decline', () => {
    expect(declineRate(0, 4).rate).toEqual({ value: 1 });
  });
  it('no incidents in the comparison period: null with a reason, also when both are empty', () => {
    expect(declineRate(3, 0).rate).toEqual({ value: null, reason: 'NO_INCIDENTS_IN_COMPARISON_PERIOD' });
    expect(declineRate(0, 0).rate).toEqual({ value: null, reason: 'NO_INCIDENTS_IN_COMPARISON_PERIOD' });
  });
});

describe('preventableRate', () => {
  it('cases per 10,000 residents: 6 cases in 24,000 residents is 2.5', () => {
    expect(preventableRate(6, 24_000)).toEqual({ cases: 6, population: 24_000, rate: { value: 2.5 } });
  });
  it('no cases is 0; population 0 or unknown is null with a reason', () => {
    expect(preventableRate(0, 5000).rate).toEqual({ value: 0 });
    expect(preventableRate(3, 0).rate).toEqual({ value: null, reason: 'NO_POPULATION' });
    expect(preventableRate(3, null).rate).toEqual({ value: null, reason: 'NO_POPULATION' });
  });
  it('roll-up: own figure first, else the sum of the children when all are known, else unknown', () => {
    //        root
    //      /      \
    //   s1 (own 900)  s2
    //   /  \          /  \
    //  p1   p2       p3   p4 (no figure)
    //  100  200      300
    const children: Record<string, string[]> = { root: ['s1', 's2'], s1: ['p1', 'p2'], s2: ['p3', 'p4'], p1: [], p2: [], p3: [], p4: [] };
    const own = new Map([['s1', 900], ['p1', 100], ['p2', 200], ['p3', 300]]);
    const pop = rolledUpPopulations(Object.keys(children), (id) => children[id], own);
    expect(pop.get('s1')).toBe(900); // its own figure wins over 100 + 200
    expect(pop.get('p4')).toBeNull();
    expect(pop.get('s2')).toBeNull(); // one child unknown
    expect(pop.get('root')).toBeNull();
    own.set('p4', 0);
    const again = rolledUpPopulations(Object.keys(children), (id) => children[id], own);
    expect(again.get('s2')).toBe(300);
    expect(again.get('root')).toBe(1200);
  });
});

describe('captureRate', () => {
  it('captures / checks: 3 of 12', () => {
    expect(captureRate(3, 12)).toEqual({ checks: 12, captures: 3, rate: { value: 0.25 } });
  });
  it('no stop-and-checks: null with a reason', () => {
    expect(captureRate(0, 0).rate).toEqual({ value: null, reason: 'NO_STOP_CHECKS' });
  });
});

describe('monitoring rate', () => {
  const period = { from: T0, to: T0 + 10 * H };
  it('union of intervals: overlapping viewers count once, touching intervals join', () => {
    expect(unionLength([[0, 5], [3, 8], [8, 9], [20, 21]])).toBe(10);
    expect(unionLength([])).toBe(0);
  });
  it('clips each camera\'s viewing to the period and ignores sessions outside it', () => {
    const w = cameraWatches(
      [
        { cameraId: 'a', startedAt: T0 - 2 * H, endedAt: T0 + 1 * H }, // 1 h inside
        { cameraId: 'a', startedAt: T0 + 0.5 * H, endedAt: T0 + 2 * H }, // overlaps: a has 0-2 h
        { cameraId: 'b', startedAt: T0 + 9 * H, endedAt: T0 + 12 * H }, // 1 h inside
        { cameraId: 'c', startedAt: T0 + 10 * H, endedAt: T0 + 11 * H }, // starts at the end: outside
      ],
      period,
    );
    expect([...w.entries()]).toEqual([['a', { watched: true, watchedMs: 2 * H }], ['b', { watched: true, watchedMs: 1 * H }]]);
    // 4 cameras over 10 h: 2 watched, 3 camera-hours of 40
    const r = monitoringRate(monitoringTotals(['a', 'b', 'c', 'd'], w, period));
    expect(r).toEqual({ cameras: 4, watchedCameras: 2, watchedMs: 3 * H, cameraMs: 40 * H, cameraShare: { value: 0.5 }, hourShare: { value: 0.075 } });
  });
  it('roll-up sums numerators and denominators; no cameras is null with a reason', () => {
    const a = { cameras: 1, watchedCameras: 1, watchedMs: 5 * H, cameraMs: 10 * H };
    const b = { cameras: 3, watchedCameras: 0, watchedMs: 0, cameraMs: 30 * H };
    expect(monitoringRate(addMonitoringTotals(a, b)).hourShare).toEqual({ value: 0.125 });
    expect(monitoringRate(addMonitoringTotals(a, b)).cameraShare).toEqual({ value: 0.25 });
    expect(monitoringRate({ cameras: 0, watchedCameras: 0, watchedMs: 0, cameraMs: 0 })).toMatchObject({ cameraShare: { value: null, reason: 'NO_CAMERAS' }, hourShare: { value: null, reason: 'NO_CAMERAS' } });
    // cameras, but a period that has not begun yet: no camera-hours
    expect(monitoringRate({ cameras: 2, watchedCameras: 0, watchedMs: 0, cameraMs: 0 })).toMatchObject({ cameraShare: { value: 0 }, hourShare: { value: null, reason: 'PERIOD_NOT_STARTED' } });
  });
});
