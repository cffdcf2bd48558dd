import { DeviceQuarantine, quarantineReason } from './device.quarantine';

describe('DeviceQuarantine', () => {
  const MIN = 60_000;

  it('holds a camera for the base time, doubling on each repeat up to the maximum', () => {
    const q = new DeviceQuarantine(10 * MIN, 35 * MIN);
    expect(q.holding('a', 0)).toBeUndefined();
    expect(q.hold('a', 0, 'camera at h:1 sent an answer too large (> 1 MiB)', 'too-large').until).toBe(10 * MIN);
    expect(q.holding('a', 10 * MIN - 1)).toMatchObject({ until: 10 * MIN });
    expect(q.holding('a', 10 * MIN)).toBeUndefined();
    expect(q.hold('a', 10 * MIN, 'again', 'too-large').until).toBe(30 * MIN);
    expect(q.hold('a', 30 * MIN, 'again', 'too-slow').until).toBe(65 * MIN);
    expect(q.holding('b', 0)).toBeUndefined();
  });

  it('release ends the hold and the doubling', () => {
    const q = new DeviceQuarantine(10 * MIN, 60 * MIN);
    q.hold('a', 0, 'x', 'too-large');
    q.hold('a', 0, 'x', 'too-large');
    q.release('a');
    expect(q.holding('a', 1)).toBeUndefined();
    expect(q.hold('a', 0, 'x', 'too-large').until).toBe(10 * MIN);
  });

  it('says what the device did and when it is contacted again', () => {
    expect(quarantineReason('camera at 127.0.0.1:80 sent an answer too large (> 1 MiB).', 'too-large', 10 * MIN, 0)).toBe(
      'camera at 127.0.0.1:80 sent an answer too large (> 1 MiB); quarantined as a hostile or broken device (it sent more than any camera answer needs): not contacted again for 10 min',
    );
    expect(quarantineReason('x', 'too-slow', 1, 0)).toMatch(/it sent its answer too slowly\): not contacted again for 1 min$/);
  });
});
