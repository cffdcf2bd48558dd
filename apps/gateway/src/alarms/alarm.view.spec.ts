import { payloadProblem, Topics, CameraAlarmEvent } from '@tiergate/contracts';
import type { CameraAlarmRecord } from '@tiergate/persistence';
import { cameraEventOf } from '../events/event-format';
import { alarmMessage, alarmView } from './alarm.view';

const id = '6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11';
const cameraId = '0c1d7a3e-8f5b-4a6e-9d2c-1b3a5e7f9d11';
const record = (over: Partial<CameraAlarmRecord> = {}): CameraAlarmRecord => ({
  id, cameraId, cameraName: 'Gate', jurisdictionId: null, kind: 'motion', state: 'new', active: true,
  startedAt: new Date('2026-12-02T07:00:00Z'), lastEventAt: new Date('2026-12-02T07:00:30Z'), endedAt: null, eventCount: 2,
  topic: 'tns1:VideoSource/MotionAlarm', cameraTime: null, acknowledgedAt: null, acknowledgedBy: null, acknowledgedByName: null, note: null,
  roundId: null, stopIndex: null, markNote: null, markedByName: null, ...over,
});

describe('alarm views and messages', () => {
  it('the view shows what the API documents, no node or topic', () => {
    expect(alarmView(record())).toEqual({
      id, cameraId, cameraName: 'Gate', kind: 'motion', state: 'new', active: true, startedAt: '2026-12-02T07:00:00.000Z',
      lastEventAt: '2026-12-02T07:00:30.000Z', endedAt: null, count: 2, acknowledgedAt: null, acknowledgedBy: null, note: null, patrol: null,
    });
  });

  it('the bus message validates, and becomes the SSE alarm event of its camera', () => {
    const acked = record({ state: 'acknowledged', acknowledgedAt: new Date('2026-12-02T07:01:00Z'), acknowledgedByName: 'post-a1', note: 'a van', active: false, endedAt: new Date('2026-12-02T07:00:40Z') });
    const message = alarmMessage(acked, 'acknowledged');
    expect(payloadProblem(CameraAlarmEvent.payload, message)).toBeUndefined();
    const event = cameraEventOf(Topics.cameraAlarm(cameraId), JSON.parse(JSON.stringify(message)));
    expect(event).toEqual({
      name: 'alarm',
      cameraId,
      data: { id, cameraId, kind: 'motion', state: 'acknowledged', active: false, startedAt: '2026-12-02T07:00:00.000Z', lastEventAt: '2026-12-02T07:00:30.000Z', endedAt: '2026-12-02T07:00:40.000Z', count: 2, acknowledgedAt: '2026-12-02T07:01:00.000Z', acknowledgedBy: 'post-a1', note: 'a van', change: 'acknowledged' },
    });
    expect(cameraEventOf(Topics.cameraAlarm(cameraId), { id })).toBeUndefined();
  });

  it('a patrol alarm shows the mark it was raised from; its message validates', () => {
    const roundId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const r = record({ kind: 'patrol', eventCount: 1, topic: 'patrol/abnormal-mark', roundId, stopIndex: 2, markNote: 'gate forced open', markedByName: 'p-officer' });
    expect(alarmView(r).patrol).toEqual({ roundId, stopIndex: 2, note: 'gate forced open', markedBy: 'p-officer', snapshotUrl: `/api/cameras/${cameraId}/snapshot` });
    expect(payloadProblem(CameraAlarmEvent.payload, alarmMessage(r, 'created'))).toBeUndefined();
  });
});
