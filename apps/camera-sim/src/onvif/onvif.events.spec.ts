import { PullPointClient, parsePullMessages } from '@tiergate/onvif';
import { Fleet, startCameraFleet } from '../fleet';

jest.setTimeout(60_000);

const PORT = 18091;

describe('simulated ONVIF events service (PullPoint) against the Tiergate client', () => {
  let fleet: Fleet;
  const client = (i: number, password = 'sim-pass') => new PullPointClient({ host: fleet.cameras[i].host, port: PORT, username: 'admin', password, timeoutMs: 2000 });

  beforeAll(async () => {
    fleet = await startCameraFleet({
      count: 3,
      firstAddress: '127.0.1.131',
      onvifPort: PORT,
      rtspPort: 18566,
      discoveryPort: 13713,
      labelPerCamera: false,
      quirks: { 1: { digestOnly: true, clockOffsetSeconds: 3600 }, 2: { noEvents: true } },
    });
  });

  afterAll(() => fleet?.stop());

  it('advertises the events service, starts a subscription with the initial states, and answers a waiting pull at the motion', async () => {
    const c = client(0);
    await c.readClock();
    const events = await c.eventsAddress();
    expect(events?.pathname).toBe('/onvif/events_service');
    const sub = await c.createPullPoint(events!, 60_000);
    expect(sub.address.pathname).toMatch(/^\/onvif\/events\/pullpoint\/[0-9a-f-]{36}$/);
    expect(sub.lifetimeMs).toBeGreaterThanOrEqual(59_000);
    expect(fleet.cameras[0].eventSubscriptions).toBe(1);

    const initial = await c.pull(sub, 5000, 10);
    expect(initial.notifications.map((n) => [n.kind, n.state, n.operation])).toEqual([
      ['motion', false, 'Initialized'],
      ['tamper', false, 'Initialized'],
    ]);

    const started = Date.now();
    const waiting = c.pull(sub, 10_000, 10);
    setTimeout(() => fleet.cameras[0].triggerMotion(), 300);
    const got = await waiting;
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2000); // answered at the event, not at the 10 s timeout
    expect(got.notifications).toEqual([expect.objectContaining({ kind: 'motion', state: true, operation: 'Changed', topic: 'tns1:VideoSource/MotionAlarm', source: 'video_source_1' })]);

    fleet.cameras[0].triggerTamper();
    fleet.cameras[0].triggerMotion(false);
    const more = await c.pull(sub, 1000, 10);
    expect(more.notifications.map((n) => [n.kind, n.state])).toEqual([
      ['tamper', true],
      ['motion', false],
    ]);

    // an empty wait answers at its timeout with no message
    const t0 = Date.now();
    expect((await c.pull(sub, 1000, 10)).notifications).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);

    expect((await c.renew(sub, 120_000)).lifetimeMs).toBeGreaterThanOrEqual(119_000);
    await c.unsubscribe(sub);
    expect(fleet.cameras[0].eventSubscriptions).toBe(0);
    await expect(c.pull(sub, 1000, 10)).rejects.toMatchObject({ code: 'CAMERA_PROTOCOL_ERROR', message: expect.stringMatching(/ResourceUnknown/) });
  });

  it('works with a Digest-only camera whose clock is an hour off, and refuses a wrong password', async () => {
    const c = client(1);
    await c.readClock();
    const sub = await c.createPullPoint((await c.eventsAddress())!, 30_000);
    expect((await c.pull(sub, 1000, 10)).notifications).toHaveLength(2);
    const bad = client(1, 'wrong');
    await expect(bad.eventsAddress()).rejects.toMatchObject({ code: 'CAMERA_UNAUTHORIZED' });
  });

  it('a camera without events says so', async () => {
    const c = client(2);
    await c.readClock();
    expect(await c.eventsAddress()).toBeUndefined();
  });

  it('reads Hikvision-style analytics topics and ignores what it does not know', () => {
    const msg = (topic: string, item: string, value: string) =>
      `<wsnt:NotificationMessage><wsnt:Topic Dialect="x">${topic}</wsnt:Topic><wsnt:Message><tt:Message UtcTime="2024-01-02T03:04:05Z" PropertyOperation="Changed">` +
      `<tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="VideoSourceToken"/></tt:Source><tt:Data><tt:SimpleItem Name="${item}" Value="${value}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;
    const xml =
      `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tev:PullMessagesResponse xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="x" xmlns:tt="y">` +
      `<tev:CurrentTime>2024-01-02T03:04:05Z</tev:CurrentTime><tev:TerminationTime>2024-01-02T03:05:05Z</tev:TerminationTime>` +
      msg('tns1:RuleEngine/CellMotionDetector/Motion', 'IsMotion', 'true') +
      msg('tns1:RuleEngine/TamperDetector/Tamper', 'IsTamper', '1') +
      msg('tns1:Device/Trigger/DigitalInput', 'LogicalState', 'true') +
      msg('tns1:VideoSource/MotionAlarm', 'State', 'maybe') +
      `</tev:PullMessagesResponse></s:Body></s:Envelope>`;
    const r = parsePullMessages(xml);
    expect(r.received).toBe(4);
    expect(r.lifetimeMs).toBe(60_000);
    expect(r.notifications).toEqual([
      { kind: 'motion', state: true, operation: 'Changed', utcTime: new Date('2024-01-02T03:04:05Z'), topic: 'tns1:RuleEngine/CellMotionDetector/Motion', source: 'VideoSourceToken' },
      { kind: 'tamper', state: true, operation: 'Changed', utcTime: new Date('2024-01-02T03:04:05Z'), topic: 'tns1:RuleEngine/TamperDetector/Tamper', source: 'VideoSourceToken' },
    ]);
    expect(() => parsePullMessages('<notxml')).toThrow(/not SOAP/);
  });
});
