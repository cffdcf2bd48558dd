import { payloadProblem } from '../message';
import { WorkerHeartbeatMessage } from './worker-heartbeat';

const heartbeat = { workerId: 'w1', baseUrl: 'http://127.0.0.1:8090', capacity: 10, load: 1, sessions: [], at: '2026-01-01T00:00:00.000Z' };

describe('WorkerHeartbeatMessage recording offer', () => {
  it('is optional: a worker without a disk sends none', () => {
    expect(payloadProblem(WorkerHeartbeatMessage, heartbeat)).toBeUndefined();
  });

  it('accepts the roots with their free, quota and used bytes', () => {
    const recording = { roots: [{ id: 'disk1', freeBytes: 5e11, quotaBytes: 4e11, usedBytes: 1e9 }] };
    expect(payloadProblem(WorkerHeartbeatMessage, { ...heartbeat, recording })).toBeUndefined();
  });

  it('refuses a root without a free byte count or with a negative one', () => {
    expect(payloadProblem(WorkerHeartbeatMessage, { ...heartbeat, recording: { roots: [{ id: 'disk1', quotaBytes: 1, usedBytes: 0 }] } })).toMatch(/recording\.roots\.0\.freeBytes/);
    expect(payloadProblem(WorkerHeartbeatMessage, { ...heartbeat, recording: { roots: [{ id: 'disk1', freeBytes: -1, quotaBytes: 1, usedBytes: 0 }] } })).toMatch(/freeBytes/);
  });
});
