import { createSocket, Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { parseProbe, parseSoap, soapEnvelope, soapFault } from '@tiergate/onvif';
import * as sim from '../apps/camera-sim/src/onvif/onvif.responses';
import { DiscoveryModule } from '../apps/discovery/src/discovery.module';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { startTestProcess, TestProcess } from './support/harness';

/**
 * Replays answers captured from real devices (test/fixtures/onvif-real, provenance in its README) through
 * the real sweep (unicast WS-Discovery, HTTP fallback, NAT port check) and onboarding (the `onvif` client,
 * profile kinds, stream URIs). A small fake device per vendor answers on loopback: WS-Discovery on UDP 3702
 * with the captured ProbeMatches (only RelatesTo is set to the probe's MessageID, as a device would), and
 * SOAP over HTTP with the captured XML. Calls for which no real capture was found (GetSystemDateAndTime,
 * GetServices, GetVideoSources, GetDeviceInformation and, for Axis, the media answers) are scaffolding built
 * by the camera simulator's response builders; the assertions are about what the captured answers decide.
 */

// Embedded and external runs may overlap: each uses its own loopback /24 that only this file uses.
const NET = process.env.TIERGATE_TEST_MODE === 'external' ? '127.0.61' : '127.0.60';
/** The port every fake device's ONVIF service is forwarded to; the sweep is told to try it. */
const HTTP_PORT = 18080;
const fixture = (p: string) => readFileSync(join(__dirname, 'fixtures/onvif-real', p), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FakeDevice {
  host: string;
  /** Captured ProbeMatches to answer WS-Discovery with; none: silent on 3702 (found by the HTTP fallback). */
  probeMatches?: string;
  /** The SOAP answer (a whole envelope) to an operation, or undefined for ActionNotSupported. */
  answer(operation: string, body: string): string | undefined;
}

interface Running {
  close(): Promise<void>;
  calls: string[];
}

async function startFake(d: FakeDevice): Promise<Running> {
  const calls: string[] = [];
  let udp: Socket | undefined;
  if (d.probeMatches) {
    const xml = d.probeMatches;
    udp = createSocket('udp4');
    udp.on('message', (msg, rinfo) => {
      let probe;
      try {
        probe = parseProbe(msg);
      } catch {
        return;
      }
      if (!probe) return;
      const reply = xml.replace(/(<[\w-]*:?RelatesTo[^>]*>)[^<]*(<\/)/, `$1${probe.messageId}$2`);
      udp!.send(reply, rinfo.port, rinfo.address, () => undefined);
    });
    await new Promise<void>((resolve) => udp!.bind(3702, d.host, () => resolve()));
  }
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let op = '';
      try {
        op = parseSoap(body).operation;
      } catch {
        // answered below as a fault
      }
      calls.push(op);
      const xml = d.answer(op, body);
      res.writeHead(xml ? 200 : 500, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
      res.end(xml ?? soapFault('Receiver', 'ter:ActionNotSupported', `${op} is not replayed`));
    });
  });
  await new Promise<void>((resolve) => http.listen(HTTP_PORT, d.host, () => resolve()));
  return {
    calls,
    close: async () => {
      await new Promise<void>((r) => http.close(() => r()));
      if (udp) await new Promise<void>((r) => udp!.close(() => r()));
    },
  };
}

/** Scaffolding answers (no real capture): the simulator's builders, wrapped in an envelope. */
function scaffold(host: string, identity: { manufacturer: string; model: string }, videoSourceToken = sim.VIDEO_SOURCE_TOKEN) {
  const view: sim.DeviceView = { name: identity.model, ...identity, firmwareVersion: 'scaffold', serial: 'scaffold', hardwareId: 'scaffold', baseUrl: `http://${host}:${HTTP_PORT}`, scopes: [] };
  const main: sim.ProfileView = { token: 'scaffold', name: 'scaffold', width: 1920, height: 1080, fps: 25, bitrateKbps: 4096, h264Profile: 'Main' };
  return (op: string): string | undefined => {
    switch (op) {
      case 'GetSystemDateAndTime':
        return soapEnvelope(sim.systemDateAndTime(new Date(), false));
      case 'GetCapabilities':
        return soapEnvelope(sim.capabilities(view));
      case 'GetVideoSources':
        // The token must be the one the profiles' VideoSourceConfiguration names (the client matches them).
        return soapEnvelope(sim.videoSources(main).replace(sim.VIDEO_SOURCE_TOKEN, videoSourceToken));
      case 'GetDeviceInformation':
        return soapEnvelope(sim.deviceInformation(view));
      default:
        return undefined; // GetServices, GetSnapshotUri, ...: ActionNotSupported, as many real devices answer
    }
  };
}

const profileToken = (body: string): string => /ProfileToken>\s*([^<\s]+)\s*</.exec(body)?.[1] ?? '';

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(100);
  }
}

describe('real devices: captured answers through sweep and onboarding', () => {
  const AXIS = `${NET}.10`;
  const NVR = `${NET}.20`;
  let tg: TestProcess;
  let admin: string;
  const fakes: Running[] = [];

  beforeAll(async () => {
    // Axis M2036-LE (captured ProbeMatches): its XAddrs name its private 192.168.0.90 and 169.254.x on port 80;
    // here it sits behind a port-forwarding NAT that forwards 18080 to it.
    const axisScaffold = scaffold(AXIS, { manufacturer: 'AXIS', model: 'M2036-LE' });
    const axisProfiles = [
      { token: 'profile_1_h264', name: 'profile_1 h264', width: 1920, height: 1080, fps: 30, bitrateKbps: 4096, h264Profile: 'Main' as const },
      { token: 'profile_2_h264', name: 'profile_2 h264', width: 640, height: 360, fps: 30, bitrateKbps: 512, h264Profile: 'Main' as const },
    ];
    fakes.push(
      await startFake({
        host: AXIS,
        probeMatches: fixture('axis/m2036-le.probe-matches.xml'),
        answer: (op, body) => {
          if (op === 'GetProfiles') return soapEnvelope(sim.profiles(axisProfiles));
          if (op === 'GetStreamUri') return soapEnvelope(sim.mediaUri('GetStreamUri', `rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264&camera=1&${profileToken(body)}`));
          return axisScaffold(op);
        },
      }),
    );
    // A Dahua-firmware NVR (the firmware Lorex recorders run): captured GetCapabilities, GetProfiles (main stream
    // with an empty VideoEncoderConfiguration, sub streams with none) and GetStreamUri (subtype=1); silent on 3702.
    const nvrScaffold = scaffold(NVR, { manufacturer: 'Dahua', model: 'NVR (scaffold)' }, '00000');
    const streamUri = fixture('dahua/get-stream-uri.subtype-1.xml');
    const subtypeOf: Record<string, string> = { MediaProfile00000: '0', MediaProfile00001: '1', MediaProfile00002: '2' };
    fakes.push(
      await startFake({
        host: NVR,
        answer: (op, body) => {
          if (op === 'GetCapabilities') return fixture('dahua/get-capabilities.xml');
          if (op === 'GetProfiles') return fixture('dahua-nvr/get-profiles.channel-1.xml');
          if (op === 'GetStreamUri') {
            const subtype = subtypeOf[profileToken(body)];
            return subtype === undefined ? undefined : streamUri.replace('subtype=1', `subtype=${subtype}`);
          }
          return nvrScaffold(op);
        },
      }),
    );
    tg = await startTestProcess(
      { name: 'onvif-real-devices-test', modules: [DiscoveryModule, GatewayModule], http: true },
      { 'discovery.probeTimeoutMs': 250, 'discovery.concurrency': 64, 'discovery.ports': [HTTP_PORT], 'discovery.connectTimeoutMs': 3000 },
    );
    admin = await tg.login();
  });
  afterAll(async () => {
    await tg?.stop();
    for (const f of fakes) await f.close();
  });

  let sweepId: string;
  const sweep = () => tg.call('GET', `/api/discovery/sweeps/${sweepId}`, { token: admin });

  it('sweeps: vendor and model from the name/ and hardware/ scopes, host and port that answered (NAT)', async () => {
    const start = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { cidr: `${NET}.0/27`, ports: [HTTP_PORT] } });
    expect(start.status).toBe(202);
    sweepId = start.body.id;
    const done = await until(sweep, (r) => r.body.state !== 'running', 25_000);
    expect(done.body.state).toBe('done');
    const byHost = Object.fromEntries(done.body.found.map((f: { host: string }) => [f.host, f]));
    expect(Object.keys(byHost).sort()).toEqual([AXIS, NVR]);
    expect(byHost[AXIS]).toMatchObject({
      endpoint: 'urn:uuid:e83a0086-3fdc-4d87-b8c4-83c0a16ad9f4',
      host: AXIS,
      port: HTTP_PORT, // not the private XAddr's 80
      xaddr: 'http://192.168.0.90/onvif/device_service',
      manufacturer: 'AXIS',
      model: 'M2036-LE',
    });
    expect(byHost[NVR]).toEqual({ endpoint: `http://${NVR}:${HTTP_PORT}/onvif/device_service`, host: NVR, port: HTTP_PORT, xaddr: `http://${NVR}:${HTTP_PORT}/onvif/device_service`, scopes: [] });
  });

  it('onboards both: main/sub from names and stream URIs when the NVR gives no resolution, URIs on the reached host', async () => {
    const res = await tg.call('POST', '/api/cameras/from-sweep', { token: admin, body: { sweepId, username: 'admin', password: 'replay' } });
    expect(res.status).toBe(201);
    expect(res.body.errors).toEqual([]);
    const byHost = Object.fromEntries(res.body.created.map((c: { onvif: { host: string } }) => [c.onvif.host, c]));
    const profilesOf = async (host: string) => (await tg.call('GET', `/api/cameras/${byHost[host].id}`, { token: admin })).body;

    const nvr = await profilesOf(NVR);
    expect(nvr.onvif).toMatchObject({ host: NVR, port: HTTP_PORT });
    expect(nvr.profiles.map((p: { token: string; kind: string; width: number; streamUri: string }) => [p.token, p.kind, p.width, p.streamUri])).toEqual([
      ['MediaProfile00000', 'main', 0, `rtsp://${NVR}:554/cam/realmonitor?channel=1&subtype=0&unicast=true&proto=Onvif`],
      ['MediaProfile00001', 'sub', 0, `rtsp://${NVR}:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif`],
      ['MediaProfile00002', 'sub', 0, `rtsp://${NVR}:554/cam/realmonitor?channel=1&subtype=2&unicast=true&proto=Onvif`],
    ]);

    const axis = await profilesOf(AXIS);
    expect(axis).toMatchObject({ name: 'AXIS M2036-LE', endpointReference: 'urn:uuid:e83a0086-3fdc-4d87-b8c4-83c0a16ad9f4', onvif: { host: AXIS, port: HTTP_PORT } });
    expect(axis.profiles.map((p: { kind: string; streamUri: string }) => [p.kind, p.streamUri])).toEqual([
      ['main', `rtsp://${AXIS}/axis-media/media.amp?videocodec=h264&camera=1&profile_1_h264`],
      ['sub', `rtsp://${AXIS}/axis-media/media.amp?videocodec=h264&camera=1&profile_2_h264`],
    ]);

    // After onboarding the sweep shows what GetDeviceInformation answered, also for the finding without scopes.
    const after = await sweep();
    const found = Object.fromEntries(after.body.found.map((f: { host: string }) => [f.host, f]));
    expect(found[NVR]).toMatchObject({ cameraId: byHost[NVR].id, manufacturer: 'Dahua', model: 'NVR (scaffold)' });
    expect(found[AXIS]).toMatchObject({ cameraId: byHost[AXIS].id, manufacturer: 'AXIS', model: 'M2036-LE' });
    expect(fakes[1].calls).toEqual(expect.arrayContaining(['GetCapabilities', 'GetProfiles', 'GetStreamUri', 'GetDeviceInformation']));
  });
});
