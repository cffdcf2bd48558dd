import { MAX_PRESETS, SimPtz } from './sim-ptz';

describe('SimPtz (the simulated pan/tilt/zoom head)', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('a continuous move advances with time, stops at its timeout and clamps at the limits', () => {
    const ptz = new SimPtz(clock);
    expect(ptz.continuousMove({ x: 1, y: -0.5, zoom: 0.4 }, 2000)).toBe('ok');
    now += 1000;
    expect(ptz.position()).toEqual({ x: 0.5, y: -0.25, zoom: 0.1 });
    expect(ptz.moving()).toEqual({ panTilt: true, zoom: true });
    now += 1000;
    expect(ptz.position()).toEqual({ x: 1, y: -0.5, zoom: 0.2 });
    now += 5000; // past the timeout: where it stopped
    expect(ptz.position()).toEqual({ x: 1, y: -0.5, zoom: 0.2 });
    expect(ptz.moving()).toEqual({ panTilt: false, zoom: false });
    ptz.continuousMove({ x: 1, y: 0, zoom: -1 });
    now += 60_000;
    expect(ptz.position()).toEqual({ x: 1, y: -0.5, zoom: 0 });
    expect(ptz.moving()).toEqual({ panTilt: false, zoom: false }); // at the limits, though its time runs on
  });

  it('Stop holds the position reached; stopping only zoom keeps pan moving', () => {
    const ptz = new SimPtz(clock);
    ptz.continuousMove({ x: -1, y: 0, zoom: 1 });
    now += 500;
    ptz.stop(false, true);
    now += 500;
    expect(ptz.position()).toEqual({ x: -0.5, y: 0, zoom: 0.125 });
    ptz.stop();
    now += 10_000;
    expect(ptz.position()).toEqual({ x: -0.5, y: 0, zoom: 0.125 });
  });

  it('refuses velocities and positions outside their spaces, and moves absolutely and relatively', () => {
    const ptz = new SimPtz(clock);
    expect(ptz.continuousMove({ x: 1.5, y: 0, zoom: 0 })).toBe('out-of-range');
    expect(ptz.continuousMove({ x: NaN, y: 0, zoom: 0 })).toBe('out-of-range');
    expect(ptz.absoluteMove({ x: 0.3, zoom: 0.5 })).toBe('ok');
    expect(ptz.position()).toEqual({ x: 0.3, y: 0, zoom: 0.5 });
    expect(ptz.absoluteMove({ zoom: 1.2 })).toBe('out-of-range');
    expect(ptz.relativeMove({ x: 1, y: -0.25 })).toBe('ok');
    expect(ptz.position()).toEqual({ x: 1, y: -0.25, zoom: 0.5 });
  });

  it('saves, goes to, overwrites and removes presets, at most MAX_PRESETS', () => {
    const ptz = new SimPtz(clock);
    ptz.absoluteMove({ x: 0.5, y: 0.5, zoom: 0.25 });
    const gate = ptz.setPreset('Gate');
    expect(gate).toEqual({ token: 'preset_1' });
    ptz.absoluteMove({ x: -1, y: -1, zoom: 0 });
    expect(ptz.setPreset('Gate')).toBe('name-taken');
    expect(ptz.gotoPreset('preset_1')).toBe('ok');
    expect(ptz.position()).toEqual({ x: 0.5, y: 0.5, zoom: 0.25 });
    ptz.absoluteMove({ x: 0 });
    expect(ptz.setPreset(undefined, 'preset_1')).toEqual({ token: 'preset_1' }); // overwrite keeps the name
    expect(ptz.presets()).toEqual([{ token: 'preset_1', name: 'Gate', position: { x: 0, y: 0.5, zoom: 0.25 } }]);
    expect(ptz.gotoPreset('nope')).toBe('no-such-preset');
    expect(ptz.setPreset('x'.repeat(65))).toBe('bad-name');
    for (let i = 1; i < MAX_PRESETS; i += 1) expect(ptz.setPreset(`P${i}`)).toHaveProperty('token');
    expect(ptz.setPreset('one too many')).toBe('too-many-presets');
    expect(ptz.removePreset('preset_1')).toBe('ok');
    expect(ptz.removePreset('preset_1')).toBe('no-such-preset');
    expect(ptz.setPreset('now it fits')).toHaveProperty('token');
  });
});
