import { decideAlarm, LatestAlarm } from './alarm-rules';

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
