import { RecordingTopics, Topics } from '@tiergate/contracts';
import { cameraEventOf, camerasChangedFor, camerasChangedOf, sseFrame, sseRetry, SSE_PING } from './event-format';

const CAM = '0b7e6c1e-1f7a-4f43-9d5e-2f9f8a0c1d11';

describe('cameraEventOf', () => {
  it('maps a camera status to camera-status with only the documented fields', () => {
    expect(cameraEventOf(Topics.cameraStatus(CAM), { status: 'offline', at: '2026-12-02T07:00:00.000Z', reason: 'timeout', extra: 1 })).toEqual({
      name: 'camera-status',
      cameraId: CAM,
      data: { cameraId: CAM, status: 'offline', at: '2026-12-02T07:00:00.000Z', reason: 'timeout' },
    });
    expect(cameraEventOf(Topics.cameraStatus(CAM), { status: 'online', at: 't' })!.data).toEqual({ cameraId: CAM, status: 'online', at: 't' });
  });

  it('maps stream and recording states without worker ids or byte rates', () => {
    expect(cameraEventOf(Topics.streamState(CAM, 'main'), { state: 'failed', workerId: 'w1', at: 't', reason: 'exit 1' })).toEqual({
      name: 'stream-state',
      cameraId: CAM,
      data: { cameraId: CAM, profile: 'main', state: 'failed', at: 't', reason: 'exit 1' },
    });
    expect(cameraEventOf(RecordingTopics.state(CAM, 'sub'), { state: 'recording', workerId: 'w1', mode: 'continuous', bytesPerSecond: 9, at: 't' })).toEqual({
      name: 'recording-state',
      cameraId: CAM,
      data: { cameraId: CAM, profile: 'sub', state: 'recording', mode: 'continuous', at: 't' },
    });
  });

  it('ignores cleared retained messages, malformed payloads and other topics', () => {
    expect(cameraEventOf(Topics.cameraStatus(CAM), null)).toBeUndefined();
    expect(cameraEventOf(Topics.cameraStatus(CAM), { status: 3, at: 't' })).toBeUndefined();
    expect(cameraEventOf(Topics.workerHeartbeat('w1'), { status: 'online', at: 't' })).toBeUndefined();
    expect(cameraEventOf(Topics.camerasChanged, { status: 'online', at: 't' })).toBeUndefined();
  });
});

describe('cameras-changed for one user', () => {
  const A = 'a', B = 'b', C = 'c';
  it('lists only the visible ids, and nothing when none of a complete notice is visible', () => {
    const notice = camerasChangedOf({ change: 'created', cameraIds: [A, B, C], count: 3, at: 't' })!;
    expect(notice.complete).toBe(true);
    expect(camerasChangedFor(notice, new Set([A, C]))).toEqual({ change: 'created', cameraIds: [A, C], complete: true, at: 't' });
    expect(camerasChangedFor(notice, new Set())).toBeUndefined();
  });

  it('tells everyone to reload when the notice did not list all the cameras (big import), without the total', () => {
    const notice = camerasChangedOf({ change: 'imported', cameraIds: [A], count: 5000, at: 't' })!;
    expect(notice.complete).toBe(false);
    const data = camerasChangedFor(notice, new Set());
    expect(data).toEqual({ change: 'imported', cameraIds: [], complete: false, at: 't' });
    expect(JSON.stringify(data)).not.toContain('5000');
  });
});

describe('SSE framing', () => {
  it('writes one event line and one data line of JSON, ended by a blank line', () => {
    const frame = sseFrame('camera-status', { cameraId: CAM, reason: 'line1\nline2' });
    expect(frame).toBe(`event: camera-status\ndata: {"cameraId":"${CAM}","reason":"line1\\nline2"}\n\n`);
    expect(frame.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(1);
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
    expect(SSE_PING).toBe(': ping\n\n');
  });
});
