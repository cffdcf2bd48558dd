import { parseSimEnv } from './sim.config';

describe('parseSimEnv', () => {
  it('reads options with defaults', () => {
    expect(parseSimEnv({})).toMatchObject({ count: 4 });
    expect(parseSimEnv({ SIM_CAMERAS: '30', SIM_RTSP_PORT: '9554', SIM_RTSP_AUTH: 'false', SIM_FIRST_ADDRESS: '127.0.2.1' })).toMatchObject({
      count: 30, rtspPort: 9554, rtspAuth: false, firstAddress: '127.0.2.1',
    });
  });

  it('names every bad key at once', () => {
    expect(() => parseSimEnv({ SIM_CAMERAS: 'lots', SIM_ONVIF_PORT: '70000', SIM_RTSP_AUTH: 'maybe', SIM_FIRST_ADDRESS: '10.0.0.1' })).toThrow(
      /SIM_CAMERAS.*SIM_ONVIF_PORT.*SIM_RTSP_AUTH|SIM_FIRST_ADDRESS/,
    );
    try {
      parseSimEnv({ SIM_CAMERAS: 'lots', SIM_ONVIF_PORT: '70000', SIM_RTSP_AUTH: 'maybe', SIM_FIRST_ADDRESS: '10.0.0.1' });
    } catch (err) {
      for (const key of ['SIM_CAMERAS', 'SIM_ONVIF_PORT', 'SIM_RTSP_AUTH', 'SIM_FIRST_ADDRESS']) expect(String(err)).toContain(key);
    }
  });
});
