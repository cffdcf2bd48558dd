import { acknowledgeEndsAlarm, ALARM_KINDS, decideAlarm, isAlarmKind, isCameraEventKind, LatestAlarm, patrolMarkRaisesAlarm } from './alarm-rules';

const W = 60_000;
const latest = (over: Partial<LatestAlarm> = {}): LatestAlarm => ({ acknowledged: false, lastEventAtMs: 1_000_000, lastEventId: 'e1', firstEventId: 'e1', active: true, ...over });

describe('decideAlarm', () => {
  it('creates the first alarm of a camera and kind', () => {
    expect(decideAlarm(undefined, { eventId: 'e1', state: true, atMs: 0 }, W)).toEqual({ action: 'create' });
  });

  it('folds a start within the window into an unacknowledged alarm, and makes a new one after it', () => {
    expect(decideAlarm(latest(), { eventId: 'e2', state: true, atMs: 1_000_000 + W }, W)).toEqual({ action: 'repeat' });
    expect(decideAlarm(latest(), { eventId: 'e2', state: true, atMs: 1_000_000 + W + 1 }, W)).toEqual({ action: 'create' });
  });

  it('an acknowledged alarm is not reopened: a new start is a new alarm', () => {
    expect(decideAlarm(latest({ acknowledged: true }), { eventId: 'e2', state: true, atMs: 1_000_001 }, W)).toEqual({ action: 'create' });
  });

  it('ends an active alarm once; an end with nothing active does nothing', () => {
    expect(decideAlarm(latest(), { eventId: 'e2', state: false, atMs: 1_000_500 }, W)).toEqual({ action: 'end' });
    expect(decideAlarm(latest({ active: false }), { eventId: 'e3', state: false, atMs: 1_000_500 }, W)).toEqual({ action: 'none' });
    expect(decideAlarm(undefined, { eventId: 'e3', state: false, atMs: 0 }, W)).toEqual({ action: 'none' });
  });

  it('the same message twice (two gateways) changes nothing the second time', () => {
    expect(decideAlarm(latest({ lastEventId: 'e2' }), { eventId: 'e2', state: true, atMs: 1_000_001 }, W)).toEqual({ action: 'none' });
    expect(decideAlarm(latest(), { eventId: 'e1', state: true, atMs: 1_000_001 }, W)).toEqual({ action: 'none' });
  });
});

describe('patrol alarms (issue 16)', () => {
  it('an abnormal mark raises an alarm only when asked; a normal mark never does', () => {
    expect(patrolMarkRaisesAlarm({ result: 'abnormal', raiseAlarm: true })).toBe(true);
    expect(patrolMarkRaisesAlarm({ result: 'abnormal', raiseAlarm: false })).toBe(false);
    expect(patrolMarkRaisesAlarm({ result: 'abnormal' })).toBe(false);
    expect(patrolMarkRaisesAlarm({ result: 'normal', raiseAlarm: true })).toBe(false);
  });

  it('patrol is an alarm kind of its own, not a camera event (discovery cannot send one)', () => {
    expect(ALARM_KINDS).toEqual(['motion', 'tamper', 'patrol']);
    expect(isAlarmKind('patrol')).toBe(true);
    expect(isCameraEventKind('patrol')).toBe(false);
    expect(isAlarmKind('line-crossing')).toBe(false);
  });

  it('acknowledging ends a patrol alarm (it has no end event) but not a camera event alarm', () => {
    expect(acknowledgeEndsAlarm('patrol')).toBe(true);
    expect(acknowledgeEndsAlarm('motion')).toBe(false);
    expect(acknowledgeEndsAlarm('tamper')).toBe(false);
  });
});
