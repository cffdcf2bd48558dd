import { Topics } from '../../topics';
import { payloadProblem } from '../message';
import { eventOfTopic } from '../registry';

const uuid = '6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11';
const at = new Date().toISOString();
const problem = (topic: string, payload: unknown) => payloadProblem(eventOfTopic(topic)!.payload, payload);

describe('patrol and alert-level messages', () => {
  it('accept what the gateway publishes', () => {
    expect(problem(Topics.patrolRound(uuid), { kind: 'started', roundId: uuid, routeId: uuid, jurisdictionId: uuid, plannedAt: at, by: 'op', at })).toBeUndefined();
    expect(problem(Topics.patrolRound(uuid), { kind: 'abnormal-mark', roundId: uuid, routeId: uuid, jurisdictionId: uuid, plannedAt: at, by: 'op', stopIndex: 1, cameraId: uuid, note: 'gate open', snapshotUrl: `/api/cameras/${uuid}/snapshot`, at })).toBeUndefined();
    expect(problem(Topics.patrolRound(uuid), { kind: 'finished', roundId: uuid, routeId: uuid, jurisdictionId: uuid, plannedAt: at, by: 'op', onTime: false, completed: true, at })).toBeUndefined();
    expect(problem(Topics.alertLevel(uuid), { jurisdictionId: uuid, level: 3, reason: 'festival', expiresAt: at, setBy: 'op', at })).toBeUndefined();
  });

  it('refuse a bad kind or level', () => {
    expect(problem(Topics.patrolRound(uuid), { kind: 'paused', roundId: uuid, routeId: uuid, jurisdictionId: uuid, plannedAt: at, by: 'op', at })).toMatch(/^kind: /);
    expect(problem(Topics.alertLevel(uuid), { jurisdictionId: uuid, level: 4, reason: 'x', setBy: 'op', at })).toMatch(/^level: /);
  });
});
