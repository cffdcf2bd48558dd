import { DEFAULT_PATROL_RULES as RULES } from './patrol.types';
import { classifySlot, isCompleted } from './round-classification';

const MIN = 60_000;
const P = Date.parse('2026-03-02T02:00:00+08:00');
const round = (startOffsetMin: number, marked: number, stops: number, finished = true) => ({ plannedAtMs: P, startedAtMs: P + startOffsetMin * MIN, finishedAtMs: finished ? P + 60 * MIN : null, stopCount: stops, markedStops: marked });

describe('classifySlot (15 min on time, 90 % completed, missed after 60 min)', () => {
  it('no round: pending until plannedAt + 60 min, then missed and due', () => {
    expect(classifySlot(P, undefined, RULES, P + 59 * MIN)).toMatchObject({ status: 'pending', due: false, fulfilled: false });
    expect(classifySlot(P, undefined, RULES, P + 60 * MIN)).toMatchObject({ status: 'missed', due: true, fulfilled: false });
  });

  it('on time is within ±15 min inclusive; 16 min after is late, 16 min early is neither on time nor late', () => {
    expect(classifySlot(P, round(15, 10, 10), RULES, P + 2 * 3600_000)).toMatchObject({ status: 'finished', onTime: true, late: false, completed: true, fulfilled: true });
    expect(classifySlot(P, round(-15, 10, 10), RULES, P + 2 * 3600_000)).toMatchObject({ onTime: true, fulfilled: true });
    expect(classifySlot(P, round(16, 10, 10), RULES, P + 2 * 3600_000)).toMatchObject({ onTime: false, late: true, completed: true, fulfilled: false, due: true });
    expect(classifySlot(P, round(-16, 10, 10), RULES, P + 2 * 3600_000)).toMatchObject({ onTime: false, late: false, fulfilled: false });
  });

  it('completed is ≥ 90 % of stops marked: 9 of 10 yes, 8 of 10 no, 2 of 3 no, 0 of 0 yes', () => {
    expect(isCompleted(9, 10, RULES)).toBe(true);
    expect(isCompleted(8, 10, RULES)).toBe(false);
    expect(isCompleted(2, 3, RULES)).toBe(false);
    expect(isCompleted(0, 0, RULES)).toBe(true);
    expect(classifySlot(P, round(0, 8, 10), RULES, P + 2 * 3600_000)).toMatchObject({ status: 'finished', onTime: true, completed: false, fulfilled: false, due: true });
  });

  it('an unfinished round is in progress and outside the rate, even long after', () => {
    expect(classifySlot(P, round(0, 10, 10, false), RULES, P + 24 * 3600_000)).toMatchObject({ status: 'in-progress', onTime: true, completed: null, due: false });
  });
});
