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

  it('times out clearly when nobody serves the topic', async () => {
    await expect(a.request(`${prefix}/nobody`, {}, 300)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
