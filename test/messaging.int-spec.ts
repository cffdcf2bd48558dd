import { randomUUID } from 'node:crypto';
import { Commands, Topics } from '@tiergate/contracts';
import { TiergateError } from '@tiergate/domain';
import { brokerCredentialsOf, EmbeddedBroker, MqttBus, startEmbeddedBroker } from '@tiergate/messaging';

const secretKey = 'messaging-test-secret-key';

describe('MqttBus on the embedded broker or MQTT_URL', () => {
  let broker: EmbeddedBroker | undefined;
  let a: MqttBus;
  let b: MqttBus;
  const prefix = `tiergate/v1/test/${Date.now()}`;

  beforeAll(async () => {
    const url = process.env.MQTT_URL ?? (broker = await startEmbeddedBroker({ credentials: brokerCredentialsOf(secretKey) })).url;
    a = await MqttBus.connect(url, `test-a-${Date.now()}`, { secretKey });
    b = await MqttBus.connect(url, `test-b-${Date.now()}`, { secretKey });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await broker?.close();
  });

  it('delivers events to wildcard subscribers', async () => {
    const got = new Promise<[string, unknown]>((resolve) => void b.subscribe(`${prefix}/cameras/+/status`, (t, p) => resolve([t, p])));
    await new Promise((r) => setTimeout(r, 100));
    await a.publish(`${prefix}/cameras/c1/status`, { status: 'online' });
    expect(await got).toEqual([`${prefix}/cameras/c1/status`, { status: 'online' }]);
  });

  it('answers many requests in a row and carries domain errors back', async () => {
    await b.serve(`${prefix}/echo`, async (p) => {
      if ((p as { fail?: boolean }).fail) throw new TiergateError('STREAM_START_TIMEOUT', 'too slow');
      return { echoed: p };
    });
    for (let i = 0; i < 20; i++) {
      expect(await a.request(`${prefix}/echo`, { i }, 2000)).toEqual({ echoed: { i } });
    }
    expect(await a.request(`${prefix}/echo`, { fail: true }, 2000)).toEqual({ error: { code: 'STREAM_START_TIMEOUT', message: 'too slow' } });
  });

  it('validates contract payloads where they arrive: requests before the handler, replies before the caller, events before subscribers', async () => {
    const worker = `msg-test-${randomUUID()}`;
    const handled: unknown[] = [];
    await b.serve(Commands.streamEnsure(worker), async (p) => {
      handled.push(p);
      return (p as { transcode?: boolean }).transcode ? { ok: 'yes' } : { ok: true, workerId: worker };
    });
    const good = { cameraId: randomUUID(), profile: 'main', sourceSealed: 's1.x.y.z' };
    expect(await a.request(Commands.streamEnsure(worker), good, 2000)).toEqual({ ok: true, workerId: worker });
    const bad = (await a.request(Commands.streamEnsure(worker), { ...good, profile: 'ultra' }, 2000)) as { error: { code: string; message: string } };
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    expect(bad.error.message).toMatch(/profile/);
    expect(handled).toHaveLength(1);
    // a reply that breaks its contract reaches the caller as the one error shape, not as data
    expect(await a.request(Commands.streamEnsure(worker), { ...good, transcode: true }, 2000)).toEqual({ error: { code: 'INTERNAL', message: expect.stringMatching(/reply to stream-ensure is invalid: ok/) } });

    const camera = randomUUID();
    const got: unknown[] = [];
    await b.subscribe(Topics.cameraStatus(camera), (_t, p) => got.push(p));
    await new Promise((r) => setTimeout(r, 100));
    await a.publish(Topics.cameraStatus(camera), { status: 'exploded', at: new Date().toISOString() });
    const valid = { status: 'offline', at: new Date().toISOString(), reason: 'no answer' };
    await a.publish(Topics.cameraStatus(camera), valid);
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([valid]);
  });

  it('times out clearly when nobody serves the topic', async () => {
    await expect(a.request(`${prefix}/nobody`, {}, 300)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
