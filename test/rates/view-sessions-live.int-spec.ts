import { SecretBox } from '@tiergate/access';
import { CameraEntity, ViewSessionsRepository } from '@tiergate/persistence';
import { startCameraFleet, Fleet } from '../../apps/camera-sim/src';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { ViewSessionsService } from '../../apps/gateway/src/rates/view-sessions.service';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { startTestProcess, TestProcess } from '../support/harness';

const timing = { 'transcoder.heartbeatMs': 300, 'transcoder.workerStaleMs': 1500, 'transcoder.startTimeoutMs': 8000, 'auth.streamTokenTtlSeconds': 30 };

describe('viewing sessions from POST /live (simulated camera, real worker)', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let token: string;
  let cameraId: string;

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 1, firstAddress: '127.0.16.1' });
    tg = await startTestProcess({ name: 'rates-live-test', modules: [GatewayModule, TranscoderModule], http: true }, timing);
    token = await tg.login();
    const repo = tg.running.infra.database.dataSource.getRepository(CameraEntity);
    const box = tg.running.app.get(SecretBox);
    cameraId = (await repo.save(repo.create({ name: 'sim-1', rtspUrl: fleet.cameras[0].mainRtspUrl, username: 'admin', passwordSealed: box.seal('sim-pass'), profiles: [], tags: [] }))).id;
  });
  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
  });

  it('a first POST starts a session, a renewal within the TTL extends it to the new token expiry, and the monitoring rate counts the camera', async () => {
    const before = Date.now();
    const first = await tg.call('POST', `/api/cameras/${cameraId}/live`, { token, body: { profile: 'sub' } });
    expect(first.status).toBe(200);
    const renewal = await tg.call('POST', `/api/cameras/${cameraId}/live`, { token, body: { profile: 'sub' } });
    expect(renewal.status).toBe(200);
    await tg.running.app.get(ViewSessionsService).written();
    const sessions = await tg.running.app.get(ViewSessionsRepository).ofCamera(cameraId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].profile).toBe('sub');
    expect(sessions[0].startedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(sessions[0].endedAt.toISOString()).toBe(new Date(renewal.body.expiresAt).toISOString());

    const from = new Date(before - 3_600_000).toISOString();
    const to = new Date(before + 3_600_000).toISOString();
    const rates = await tg.call('GET', `/api/rates?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token });
    expect(rates.status).toBe(200);
    // the camera is in no jurisdiction (no tree here): it counts nowhere, and the answer says so
    expect(rates.body.children).toEqual([]);
    const intervals = await tg.running.app.get(ViewSessionsRepository).overlapping(new Date(from), new Date(to), [cameraId]);
    expect(intervals).toEqual([{ cameraId, startedAt: sessions[0].startedAt.getTime(), endedAt: sessions[0].endedAt.getTime() }]);
  });
});
