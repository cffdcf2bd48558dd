import { Topics } from '../../topics';
import { payloadProblem } from '../message';
import { eventOfTopic } from '../registry';

const uuid = '6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11';
const at = new Date().toISOString();
const problem = (topic: string, payload: unknown) => payloadProblem(eventOfTopic(topic)!.payload, payload);

describe('camera event and alarm messages', () => {
  it('accept what discovery and the gateway publish', () => {
    expect(problem(Topics.cameraEvent(uuid), { eventId: uuid, kind: 'motion', state: true, at, cameraTime: at, topic: 'tns1:VideoSource/MotionAlarm', source: 'video_source_1' })).toBeUndefined();
    expect(problem(Topics.cameraEvent(uuid), { eventId: uuid, kind: 'tamper', state: false, at, topic: 'tns1:RuleEngine/TamperDetector/Tamper' })).toBeUndefined();
    const alarm = { id: uuid, cameraId: uuid, kind: 'motion', state: 'new', active: true, startedAt: at, lastEventAt: at, count: 1, change: 'created' };
    expect(problem(Topics.cameraAlarm(uuid), alarm)).toBeUndefined();
    expect(problem(Topics.cameraAlarm(uuid), { ...alarm, state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: 'post-1', note: 'checked, a cat', change: 'acknowledged' })).toBeUndefined();
    expect(problem(Topics.cameraAlarm(uuid), { ...alarm, kind: 'patrol' })).toBeUndefined();
  });

  it('refuse another kind, a state that is not a boolean, a topic too long', () => {
    expect(problem(Topics.cameraEvent(uuid), { eventId: uuid, kind: 'audio', state: true, at, topic: 't' })).toMatch(/^kind: /);
    expect(problem(Topics.cameraEvent(uuid), { eventId: uuid, kind: 'patrol', state: true, at, topic: 't' })).toMatch(/^kind: /);
    expect(problem(Topics.cameraEvent(uuid), { eventId: uuid, kind: 'motion', state: 'true', at, topic: 't' })).toMatch(/^state: /);
    expect(problem(Topics.cameraEvent(uuid), { eventId: uuid, kind: 'motion', state: true, at, topic: 'x'.repeat(129) })).toMatch(/^topic: /);
    expect(problem(Topics.cameraAlarm(uuid), { id: uuid, cameraId: uuid, kind: 'motion', state: 'closed', active: true, startedAt: at, lastEventAt: at, count: 0, change: 'created' })).toMatch(/state: .*count: /);
  });
});
