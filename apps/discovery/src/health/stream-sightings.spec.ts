import { StreamSightings } from './stream-sightings';

const CAM = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const T0 = Date.parse('2030-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const heartbeat = (at: number, sessions: { cameraId: string; profile: string; state: string }[]) => ({ workerId: 'w1', baseUrl: 'http://127.0.0.1:1', capacity: 4, load: 1, sessions, at: iso(at) });

describe('StreamSightings', () => {
  it('counts a fresh ready state as playing, and says so to the caller', () => {
    const s = new StreamSightings(6000);
    expect(s.streamState(CAM, 'sub', { state: 'ready', workerId: 'w1', at: iso(T0) }, T0 + 100)).toBe(true);
    expect(s.playing(CAM, T0 + 100)).toBe(true);
    expect(s.playing(OTHER, T0 + 100)).toBe(false);
  });

  it('does not believe an old retained ready state without a heartbeat behind it (a crashed worker)', () => {
    const s = new StreamSightings(6000);
    expect(s.streamState(CAM, 'main', { state: 'ready', workerId: 'w1', at: iso(T0) }, T0 + 3_600_000)).toBe(false);
    expect(s.playing(CAM, T0 + 3_600_000)).toBe(false);
  });

  it('keeps a long-running stream playing while fresh heartbeats list it ready', () => {
    const s = new StreamSightings(6000);
    s.streamState(CAM, 'main', { state: 'ready', workerId: 'w1', at: iso(T0) }, T0);
    s.heartbeat('w1', heartbeat(T0 + 600_000, [{ cameraId: CAM, profile: 'main', state: 'ready' }, { cameraId: OTHER, profile: 'sub', state: 'starting' }]));
    expect(s.playing(CAM, T0 + 602_000)).toBe(true);
    expect(s.playing(OTHER, T0 + 602_000)).toBe(false);
    // the worker falls silent: its word expires with the heartbeat
    expect(s.playing(CAM, T0 + 607_000)).toBe(false);
  });

  it('forgets a stream that stopped or failed, and a worker whose heartbeat was cleared', () => {
    const s = new StreamSightings(6000);
    s.streamState(CAM, 'main', { state: 'ready', workerId: 'w1', at: iso(T0) }, T0);
    expect(s.streamState(CAM, 'main', { state: 'failed', workerId: 'w1', at: iso(T0 + 1000), reason: 'x' }, T0 + 1000)).toBe(false);
    expect(s.playing(CAM, T0 + 1000)).toBe(false);
    s.heartbeat('w1', heartbeat(T0 + 1000, [{ cameraId: CAM, profile: 'main', state: 'ready' }]));
    expect(s.playing(CAM, T0 + 1500)).toBe(true);
    s.heartbeat('w1', null);
    expect(s.playing(CAM, T0 + 1500)).toBe(false);
  });

  it('ignores an out-of-order older heartbeat and malformed messages', () => {
    const s = new StreamSightings(6000);
    s.heartbeat('w1', heartbeat(T0 + 5000, [{ cameraId: CAM, profile: 'main', state: 'ready' }]));
    s.heartbeat('w1', heartbeat(T0, []));
    expect(s.playing(CAM, T0 + 6000)).toBe(true);
    expect(s.streamState(CAM, 'main', { state: 'ready', at: 'not a date' }, T0)).toBe(false);
    expect(s.streamState(CAM, 'main', 'garbage', T0)).toBe(false);
    s.heartbeat('w2', { at: iso(T0), sessions: 'nope' });
    expect(s.playing(OTHER, T0)).toBe(false);
  });
});
