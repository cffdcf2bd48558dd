import { startCameraFleet, Fleet } from '../../../../apps/camera-sim/src';
import { checkOnvifCamera, probeCamera } from './camera.probe';

jest.setTimeout(60_000);

describe('probeCamera against the simulator', () => {
  let fleet: Fleet;
  const PORT = 18181;
  beforeAll(async () => {
    fleet = await startCameraFleet({
      count: 7, firstAddress: '127.0.9.1', onvifPort: PORT, rtspPort: 18656, discoveryPort: 13802, labelPerCamera: false,
      quirks: { 1: { digestOnly: true }, 2: { clockOffsetSeconds: 3600 }, 3: { localTimeOnly: true }, 4: { natStreamUri: true }, 5: { serial20Digits: true }, 6: { slowResponsesMs: 300 } },
    });
  });
  afterAll(() => fleet?.stop());
  const t = (i: number, password = 'sim-pass') => ({ host: fleet.cameras[i].host, port: PORT, username: 'admin', password, timeoutMs: 3000 });

  it.each([0, 1, 2, 3, 4, 5, 6])('onboards camera %i', async (i) => {
    const c = fleet.cameras[i];
    const r = await probeCamera(t(i));
    expect(r.device.serialNumber).toBe(c.serial);
    expect(r.profiles.map((p) => [p.kind, p.streamUri])).toEqual([['main', c.mainRtspUrl], ['sub', c.subRtspUrl]]);
    expect(r.profiles[0]).toMatchObject({ encoding: 'H264', width: 1280, height: 720, fps: 25 });
    expect(await checkOnvifCamera(t(i))).toEqual({ status: 'online' });
  });
  it('wrong password', async () => {
    await expect(probeCamera(t(0, 'nope'))).rejects.toMatchObject({ code: 'CAMERA_UNAUTHORIZED' });
    await expect(probeCamera(t(1, 'nope'))).rejects.toMatchObject({ code: 'CAMERA_UNAUTHORIZED' });
    expect(await checkOnvifCamera(t(1, 'nope'))).toMatchObject({ status: 'unauthorized' });
  });
  it('unreachable', async () => {
    await expect(probeCamera({ ...t(0), host: '127.0.9.200' })).rejects.toMatchObject({ code: 'CAMERA_UNREACHABLE' });
  });
});
