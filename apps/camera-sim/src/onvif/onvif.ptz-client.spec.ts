import { PtzClient } from '@tiergate/onvif';
import { Fleet, startCameraFleet } from '../fleet';

jest.setTimeout(60_000);

const PORT = 18191;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('simulated ONVIF PTZ service against the Tiergate PTZ client', () => {
  let fleet: Fleet;
  const client = (i: number, password = 'sim-pass') => new PtzClient({ host: fleet.cameras[i].host, port: PORT, username: 'admin', password, timeoutMs: 2000 });

  beforeAll(async () => {
    // 0: PTZ, 1: PTZ and Digest only, 2: a fixed camera
    fleet = await startCameraFleet({ count: 3, firstAddress: '127.0.132.201', onvifPort: PORT, rtspPort: 18591, discoveryPort: 13791, labelPerCamera: false, ptz: [0, 1], quirks: { 1: { digestOnly: true } } });
  });

  afterAll(() => fleet?.stop());

  it('discovers the PTZ endpoint, moves for the Timeout given and stops at once on Stop', async () => {
    const c = client(0);
    const at = await c.discover();
    expect([at?.service.toString(), at?.profileToken]).toEqual([`http://127.0.132.201:${PORT}/onvif/ptz_service`, 'profile_main']);
    expect((await c.status(at!)).position).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    await c.continuousMove(at!, { pan: 1, tilt: 0, zoom: 0 }, 400);
    await sleep(700);
    const after = await c.status(at!);
    expect(after.moving).toBe(false);
    expect(after.position!.pan).toBeGreaterThan(0.15); // 0.5 units/s for 0.4 s
    expect(after.position!.pan).toBeLessThan(0.25);
    await c.continuousMove(at!, { pan: 0, tilt: -1, zoom: 1 }, 5000);
    await sleep(200);
    await c.stop(at!);
    const stopped = (await c.status(at!)).position!;
    await sleep(300);
    expect((await c.status(at!)).position).toEqual(stopped);
    expect(stopped.tilt).toBeLessThan(0);
    expect(stopped.zoom).toBeGreaterThan(0);
  });

  it('saves a preset, goes back to it, and moves absolutely; over HTTP Digest on a Digest-only camera', async () => {
    const c = client(1);
    const at = (await c.discover())!;
    await c.absoluteMove(at, { pan: 0.5, tilt: 0.25, zoom: 0.5 });
    const token = await c.setPreset(at, '南门');
    expect(await c.presets(at)).toEqual([{ token, name: '南门' }]);
    await c.absoluteMove(at, { pan: -1, tilt: -1, zoom: 0 });
    await c.gotoPreset(at, token);
    expect((await c.status(at)).position).toEqual({ pan: 0.5, tilt: 0.25, zoom: 0.5 });
    expect(fleet.cameras[1].ptz!.position()).toEqual({ x: 0.5, y: 0.25, zoom: 0.5 });
    await expect(c.gotoPreset(at, 'preset_99')).rejects.toThrow(/refused GotoPreset: ter:NoToken/);
  });

  it('a camera without PTZ has no endpoint; a wrong password is CAMERA_UNAUTHORIZED', async () => {
    expect(await client(2).discover()).toBeUndefined();
    await expect(client(0, 'wrong').discover()).rejects.toMatchObject({ code: 'CAMERA_UNAUTHORIZED' });
  });
});
