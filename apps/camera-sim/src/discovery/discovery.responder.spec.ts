import { createSocket, Socket } from 'node:dgram';
import { buildProbe, parseProbeMatches, ProbeMatches } from '@tiergate/onvif';
import { DiscoveryResponder } from './discovery.responder';

const HOST = '127.0.1.211';
const PORT = 13710;
const device = {
  host: HOST,
  endpointReference: 'urn:uuid:aaaaaaaa-bbbb-5ccc-8ddd-eeeeeeeeeeee',
  scopes: ['onvif://www.onvif.org/name/sim-cam-001', 'onvif://www.onvif.org/Profile/Streaming'],
  onvifUrl: `http://${HOST}:8080/onvif/device_service`,
};

describe('DiscoveryResponder (unicast)', () => {
  let responder: DiscoveryResponder;
  let client: Socket;
  const replies: Array<{ from: string; msg: ProbeMatches | undefined }> = [];

  beforeAll(async () => {
    responder = new DiscoveryResponder(device, { port: PORT });
    await responder.start();
    client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    client.on('message', (m, rinfo) => replies.push({ from: rinfo.address, msg: parseProbeMatches(m) }));
  });

  afterAll(async () => {
    await responder.stop();
    await new Promise<void>((r) => client.close(() => r()));
  });

  const waitFor = async (n: number): Promise<void> => {
    for (let i = 0; i < 50 && replies.length < n; i += 1) await new Promise((r) => setTimeout(r, 20));
  };

  it('answers a Probe from the camera address with a matching ProbeMatch', async () => {
    const { messageId, xml } = buildProbe();
    client.send(xml, PORT, HOST);
    await waitFor(1);
    expect(replies).toHaveLength(1);
    expect(replies[0].from).toBe(HOST);
    expect(replies[0].msg).toMatchObject({
      relatesTo: messageId,
      matches: [{ endpointReference: device.endpointReference, xaddrs: [device.onvifUrl], scopes: device.scopes }],
    });
  });

  it('ignores hostile, foreign and non-matching packets, and keeps answering', async () => {
    replies.length = 0;
    client.send('not xml', PORT, HOST);
    client.send(Buffer.alloc(1000, 0xff), PORT, HOST);
    client.send('<!DOCTYPE a [<!ENTITY b "c">]><Envelope><Body><Probe>&b;</Probe></Body></Envelope>', PORT, HOST);
    client.send(buildProbe({ types: ['dn:Printer'] }).xml, PORT, HOST);
    client.send(buildProbe({ scopes: ['onvif://www.onvif.org/name/other'] }).xml, PORT, HOST);
    await new Promise((r) => setTimeout(r, 150));
    expect(replies).toHaveLength(0);
    const { messageId, xml } = buildProbe({ scopes: ['onvif://www.onvif.org/name/sim-cam-001'] });
    client.send(xml, PORT, HOST);
    await waitFor(1);
    expect(replies.map((r) => r.msg?.relatesTo)).toEqual([messageId]);
  });
});
