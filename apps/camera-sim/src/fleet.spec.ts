import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Fleet, startCameraFleet } from './fleet';
import { probeVideo, recordRtsp } from './testing/media-probe';

jest.setTimeout(90_000);

const withCreds = (url: string): string => url.replace('rtsp://', 'rtsp://admin:sim-pass@');

describe('startCameraFleet (RTSP)', () => {
  let fleet: Fleet;
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'fleet-spec-'));
    fleet = await startCameraFleet({ count: 3, firstAddress: '127.0.1.101', onvifPort: 18080, rtspPort: 18555, discoveryPort: 13702 });
  });

  afterAll(async () => {
    await fleet?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('puts cameras on consecutive addresses with their URLs', () => {
    expect(fleet.cameras.map((c) => c.host)).toEqual(['127.0.1.101', '127.0.1.102', '127.0.1.103']);
    expect(fleet.cameras[1].mainRtspUrl).toBe('rtsp://127.0.1.102:18555/main');
    expect(fleet.cameras[1].subRtspUrl).toBe('rtsp://127.0.1.102:18555/sub');
    expect(new Set(fleet.cameras.map((c) => c.endpointReference)).size).toBe(3);
  });

  it('streams each camera, and an offline camera refuses then comes back', async () => {
    const cam = fleet.cameras[2];
    const file = path.join(out, 'a.mkv');
    await recordRtsp(withCreds(cam.subRtspUrl), 'tcp', file, 1);
    expect((await probeVideo(file)).width).toBe(640);
    await cam.goOffline();
    await expect(recordRtsp(withCreds(cam.subRtspUrl), 'tcp', path.join(out, 'b.mkv'), 1)).rejects.toThrow(/refused|ffmpeg exited/i);
    await cam.goOnline();
    const again = path.join(out, 'c.mkv');
    await recordRtsp(withCreds(cam.mainRtspUrl), 'udp', again, 1);
    expect((await probeVideo(again)).width).toBe(1280);
  });
});
