import { Repository } from 'typeorm';
import { SecretBox } from '@tiergate/access';
import { Topics } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { CameraEntity } from '@tiergate/persistence';
import { Fleet, startCameraFleet } from '../apps/camera-sim/src';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { startTestProcess, TestProcess } from './support/harness';

describe('a failing live stream shows in its camera status', () => {
  let tg: TestProcess;
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 1, firstAddress: '127.0.7.1', onvifPort: 18780, rtspPort: 18754 });
    // A long health period: only the failing stream can trigger the check within this test.
    tg = await startTestProcess({ name: 'stream-failure', modules: [GatewayModule, DiscoveryModule], http: true }, { 'health.intervalSeconds': 3600 });
  });
  afterAll(async () => {
    await tg?.stop();
    await fleet?.stop();
  });

  it('checks the camera at once when its stream is reported failed, and records why', async () => {
    const repo = tg.running.infra.database.dataSource.getRepository(CameraEntity);
    const box = tg.running.app.get(SecretBox);
    const cam = await repo.save(
      repo.create({ name: 'garage 7', rtspUrl: fleet.cameras[0].mainRtspUrl, username: 'admin', passwordSealed: box.seal('sim-pass'), profiles: [], tags: [], status: 'online' }),
    );
    await fleet.cameras[0].goOffline();
    const bus = tg.running.app.get(MqttBus);
    await bus.publish(Topics.streamState(cam.id, 'main'), { state: 'failed', workerId: 'w-test', at: new Date().toISOString(), reason: 'CAMERA_UNREACHABLE: 3 failures in a row' });
    const deadline = Date.now() + 15_000;
    let row = await repo.findOneByOrFail({ id: cam.id });
    while (row.status === 'online' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      row = await repo.findOneByOrFail({ id: cam.id });
    }
    expect(row.status).toBe('offline');
    expect(row.statusReason).toBeTruthy();
    await bus.clearRetained(Topics.streamState(cam.id, 'main'));
  });
});
