import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, Server, Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { buildProbeMatches, parseProbe } from '@tiergate/onvif';
import { Fleet, startCameraFleet } from '../../apps/camera-sim/src';
import { DiscoveryModule } from '../../apps/discovery/src/discovery.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { startTestProcess, TestProcess } from '../support/harness';

// Issue 11 item 1: a hostile device (oversized, slow-drip, malformed and markup-carrying answers) at
// onboarding, sweeps, health rounds and snapshots. Expected everywhere: the process keeps answering, every
// socket to the device is closed by the deadline, memory stays bounded, and the camera's status (or the 502)
// says why. The fake devices below sit in front of a simulated camera and misbehave on chosen operations;
// they never hold an oversized answer in memory (one 64 KiB chunk, written again and again).
// Embedded and external runs may overlap: each uses its own loopback block (no other test file uses 81/82).
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 82 : 81;
const NET = `127.0.${BLOCK}`;
const PASSWORD = 'sim-pass';
const HEALTH_PERIOD_S = 2;
const TIMEOUT_MS = 1500; // health.timeoutMs and discovery.connectTimeoutMs: longer than one drip interval (1 s)
const HUGE = 600 * 1024 * 1024;
/** What a device may make us read before we close: the 5 MiB snapshot cap plus loopback socket buffers. */
const MAX_SENT = 16 * 1024 * 1024;
/**
 * RSS growth allowed per hostile exchange. The caps keep at most 1 MiB (SOAP) or 5 MiB (snapshot) per
 * answer, a few answers at once; the rest is the heap's own churn (PGlite, GC timing). The code before the
 * caps buffered the whole 600 MB answer (and then threw ERR_STRING_TOO_LONG): far above this bound.
 */
const MAX_RSS_GROWTH = 160 * 1024 * 1024;

type Misbehaviour = 'huge' | 'drip' | 'malformed' | 'markup' | 'foreign-sources' | 'huge-datagram';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last) && Date.now() < deadline) {
    await sleep(50);
    last = await fn();
  }
  return last;
}

/** Writes `total` bytes of `chunk` with backpressure, stopping when the peer closes; never buffers more than one chunk. */
function pump(s: Socket, total: number, chunk = Buffer.alloc(64 * 1024, 0x41)): void {
  let left = total;
  const go = () => {
    while (left > 0 && !s.destroyed) {
      left -= chunk.length;
      if (!s.write(chunk)) return void s.once('drain', go);
    }
    if (!s.destroyed) s.end();
  };
  go();
}

function drip(s: Socket, head: string): void {
  s.write(head);
  const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('<')), 1000);
  s.on('close', () => clearInterval(timer));
}

/** Counts its connections, the open ones and the bytes it sent on each. */
abstract class FakeTcp {
  protected server!: Server;
  readonly open = new Set<Socket>();
  connections = 0;
  maxSent = 0;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((s) => {
      this.connections++;
      this.open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.open.delete(s);
        this.maxSent = Math.max(this.maxSent, s.bytesWritten);
      });
      this.accept(s);
    });
    await new Promise<void>((r) => this.server.listen(this.port, this.host, r));
    return this;
  }

  protected abstract accept(s: Socket): void;

  /** Open connections once they had `ms` to close (the deadline has passed by then). */
  async openAfter(ms: number): Promise<number> {
    await until(() => this.open.size, (n) => n === 0, ms);
    return this.open.size;
  }

  reset(): void {
    this.connections = 0;
    this.maxSent = 0;
  }

  async stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

/** An ONVIF HTTP device: forwards every request to a simulated camera, except the operations told to misbehave. */
class FakeOnvif extends FakeTcp {
  /** SOAP operation (or 'snapshot' for a GET) → what to do instead of forwarding. */
  readonly plan = new Map<string, Misbehaviour>();

  constructor(
    host: string,
    private readonly upstream: { host: string; port: number },
  ) {
    super(host, 8080);
  }

  protected accept(s: Socket): void {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      s.off('data', onData);
      const body = buf.subarray(end + 4, end + 4 + length).toString('utf8');
      const op = head.startsWith('GET ') ? 'snapshot' : (/<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1] ?? '');
      const misbehaviour = this.plan.get(op);
      if (misbehaviour) this.misbehave(s, op, misbehaviour);
      else this.forward(s, buf);
    };
    s.on('data', onData);
  }

  private forward(s: Socket, request: Buffer): void {
    const up = connect(this.upstream.port, this.upstream.host, () => up.write(request));
    up.on('error', () => s.destroy());
    s.on('close', () => up.destroy());
    up.pipe(s);
  }

  private misbehave(s: Socket, op: string, how: Misbehaviour): void {
    const type = op === 'snapshot' ? 'image/jpeg' : 'application/soap+xml; charset=utf-8';
    const head = `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n`;
    const env = (inner: string) =>
      `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" ` +
      `xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body>${inner}</s:Body></s:Envelope>`;
    if (how === 'huge') {
      s.write(head + (op === 'snapshot' ? '\xff\xd8' : env('').slice(0, -20) + `<tds:${op}Response><tds:Manufacturer>`));
      pump(s, HUGE);
    } else if (how === 'drip') {
      drip(s, head);
    } else if (how === 'malformed') {
      s.end(`${head}<s:Envelope><s:Body><<<&&& not xml`);
    } else if (how === 'markup') {
      const x = '&lt;img src=x onerror=alert(1)&gt;';
      s.end(
        head +
          env(
            `<tds:GetDeviceInformationResponse><tds:Manufacturer>${x}</tds:Manufacturer><tds:Model>${x}${'M'.repeat(300)}</tds:Model>` +
              `<tds:FirmwareVersion>1</tds:FirmwareVersion><tds:SerialNumber>${x}</tds:SerialNumber><tds:HardwareId>1</tds:HardwareId></tds:GetDeviceInformationResponse>`,
          ),
      );
    } else if (how === 'foreign-sources') {
      // A video source whose token no profile's SourceToken names.
      s.end(head + env(`<trt:GetVideoSourcesResponse><trt:VideoSources token="NoSuchSource"><tt:Framerate>25</tt:Framerate></trt:VideoSources></trt:GetVideoSourcesResponse>`));
    }
  }
}

/** An RTSP server that answers DESCRIBE with endless header lines, or drips. */
class FakeRtsp extends FakeTcp {
  mode: 'endless-headers' | 'drip' = 'endless-headers';

  constructor(host: string) {
    super(host, 8554);
  }

  protected accept(s: Socket): void {
    s.once('data', () => {
      if (this.mode === 'drip') return drip(s, 'RTSP/1.0 200 OK\r\n');
      s.write('RTSP/1.0 200 OK\r\nCSeq: 1\r\n');
      pump(s, HUGE, Buffer.from(`X-Pad: ${'a'.repeat(1000)}\r\n`.repeat(64)));
    });
  }
}

/** A WS-Discovery responder: a ProbeMatches with markup in its name scope, preceded by an oversized datagram. */
class FakeDiscovery {
  private socket!: UdpSocket;
  constructor(readonly host: string) {}

  async start(): Promise<this> {
    this.socket = createSocket('udp4');
    this.socket.on('error', () => undefined);
    this.socket.on('message', (msg, rinfo) => {
      const probe = (() => {
        try {
          return parseProbe(msg);
        } catch {
          return undefined;
        }
      })();
      if (!probe) return;
      this.socket.send(Buffer.alloc(60_000, 0x3c), rinfo.port, rinfo.address);
      const xml = buildProbeMatches({
        relatesTo: probe.messageId,
        matches: [
          {
            endpointReference: `urn:uuid:0bad0bad-0000-4000-8000-0000000000${BLOCK}`,
            types: ['dn:NetworkVideoTransmitter'],
            scopes: [`onvif://www.onvif.org/name/${encodeURIComponent('<img src=x onerror=alert(1)>')}`, `onvif://www.onvif.org/hardware/${encodeURIComponent('<script>x</script>')}`],
            xaddrs: [`http://${this.host}:8080/onvif/device_service`],
            metadataVersion: 1,
          },
        ],
      });
      this.socket.send(xml, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => this.socket.bind(3702, this.host, r));
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

describe('hostile devices', () => {
  let tg: TestProcess;
  let fleet: Fleet;
  let admin: string;
  let ds: DataSource;
  const fakes: { stop(): Promise<void> }[] = [];
  let onboardFake: FakeOnvif;
  let healthFake: FakeOnvif;
  let dripFake: FakeOnvif;
  let snapFake: FakeOnvif;
  let snapDripFake: FakeOnvif;
  let rtspFake: FakeRtsp;
  let sweepFake: FakeDiscovery;
  let sweepHttpFake: FakeOnvif;

  const access = (fake: FakeOnvif) => ({ host: fake.host, port: fake.port, username: 'admin', password: PASSWORD });
  const rss = () => process.memoryUsage().rss;
  const alive = async () => expect((await tg.call('GET', '/api/cameras', { token: admin })).status).toBe(200);
  const camera = async (id: string) => (await tg.call('GET', `/api/cameras/${id}`, { token: admin })).body;
  const add = async (body: Record<string, unknown>, verify = false) => tg.call('POST', `/api/cameras${verify ? '?verify=true' : ''}`, { token: admin, body });

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 1, firstAddress: `${NET}.1`, password: PASSWORD });
    const upstream = { host: fleet.cameras[0].host, port: fleet.cameras[0].onvifPort };
    onboardFake = await new FakeOnvif(`${NET}.10`, upstream).start();
    healthFake = await new FakeOnvif(`${NET}.11`, upstream).start();
    dripFake = await new FakeOnvif(`${NET}.12`, upstream).start();
    snapFake = await new FakeOnvif(`${NET}.13`, upstream).start();
    snapDripFake = await new FakeOnvif(`${NET}.15`, upstream).start();
    rtspFake = await new FakeRtsp(`${NET}.14`).start();
    sweepFake = await new FakeDiscovery(`${NET}.20`).start();
    sweepHttpFake = await new FakeOnvif(`${NET}.21`, upstream).start();
    fakes.push(onboardFake, healthFake, dripFake, snapFake, snapDripFake, rtspFake, sweepFake, sweepHttpFake);
    tg = await startTestProcess(
      { name: 'hostile-device', modules: [GatewayModule, DiscoveryModule], http: true },
      // The ONVIF event subscriber is off here: its PullPoint long poll (forwarded by the fakes to the simulator) is
      // an open connection that this file's socket counts would take for a leak. Its own hostile answers are
      // tested in test/alarms.int-spec.ts, its respect of the quarantine in camera-events.service.spec.ts.
      { 'health.intervalSeconds': HEALTH_PERIOD_S, 'health.timeoutMs': TIMEOUT_MS, 'discovery.connectTimeoutMs': TIMEOUT_MS, 'discovery.probeTimeoutMs': TIMEOUT_MS, 'alarms.subscribe': false },
    );
    admin = await tg.login();
    ds = tg.running.app.get(DataSource, { strict: false });
  });
  afterAll(async () => {
    await tg?.stop();
    for (const f of fakes) await f.stop().catch(() => undefined);
    await fleet?.stop();
  });

  describe('onboarding (POST /api/cameras)', () => {
    it.each([
      ['a 600 MB GetProfiles answer', 'GetProfiles', 'huge' as const, /^camera at .* sent an answer too large \(> 1 MiB\)$/],
      ['a GetDeviceInformation answer dripped at 1 byte/s', 'GetDeviceInformation', 'drip' as const, /^camera at .* sent an answer too slow \(.* in 1\.5 s, not complete\)$/],
      ['GetVideoSources naming no profile source', 'GetVideoSources', 'foreign-sources' as const, /none of its profiles uses a video source it lists \(GetVideoSources tokens do not match/],
      ['a GetDeviceInformation answer that is not XML', 'GetDeviceInformation', 'malformed' as const, /answered something that is not valid ONVIF/],
    ])('refuses %s with 502 CAMERA_PROTOCOL_ERROR, with verify=true and without; closes every socket; saves nothing', async (_what, op, how, message) => {
      onboardFake.plan.clear();
      onboardFake.plan.set(op, how);
      for (const verify of [true, false]) {
        onboardFake.reset();
        const before = rss();
        const started = Date.now();
        const res = await add({ name: `hostile ${op}`, onvif: access(onboardFake) }, verify);
        const took = Date.now() - started;
        expect(res.status).toBe(502);
        expect(res.body).toEqual({ code: 'CAMERA_PROTOCOL_ERROR', message: expect.stringMatching(message) });
        expect(res.text).not.toContain(PASSWORD);
        // Not the onboarding deadline (3 × 1.5 s): the answer is refused as soon as it is over the cap, or at
        // the step deadline for a drip; the package's own hang on foreign sources is not waited out either.
        expect(took).toBeLessThan(how === 'drip' ? TIMEOUT_MS + 1500 : 1500);
        expect(await onboardFake.openAfter(300)).toBe(0);
        expect(onboardFake.maxSent).toBeLessThan(MAX_SENT);
        expect(rss() - before).toBeLessThan(MAX_RSS_GROWTH);
      }
      expect(Number((await ds.query(`SELECT count(*) AS n FROM cameras WHERE "onvifHost" = $1`, [onboardFake.host]))[0].n)).toBe(0);
      await alive();
    });

    it('keeps markup in device information as text, cut to size', async () => {
      onboardFake.plan.clear();
      onboardFake.plan.set('GetDeviceInformation', 'markup');
      const res = await add({ name: 'markup device', onvif: access(onboardFake) }, true);
      expect(res.status).toBe(201);
      expect(res.body.device).toMatchObject({ manufacturer: '<img src=x onerror=alert(1)>', serialNumber: '<img src=x onerror=alert(1)>' });
      expect(res.body.device.model.length).toBe(128);
      await tg.call('DELETE', `/api/cameras/${res.body.id}`, { token: admin });
      onboardFake.plan.clear();
    });
  });

  describe('health rounds', () => {
    it('a camera that turns hostile after onboarding (600 MB answers) is quarantined offline with the reason, and not contacted again', async () => {
      const res = await add({ name: 'turns hostile', onvif: access(healthFake) }, true);
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('online');
      const id = res.body.id;
      healthFake.plan.set('GetDeviceInformation', 'huge');
      healthFake.reset();
      const before = rss();
      const view = await until(() => camera(id), (c) => c.status === 'offline', HEALTH_PERIOD_S * 1000 + 3000);
      expect(view).toMatchObject({
        status: 'offline',
        statusReason: expect.stringMatching(/^camera at .* sent an answer too large \(> 1 MiB\); quarantined as a hostile or broken device .*: not contacted again for 10 min$/),
      });
      expect(await healthFake.openAfter(300)).toBe(0);
      expect(healthFake.maxSent).toBeLessThan(MAX_SENT);
      expect(rss() - before).toBeLessThan(MAX_RSS_GROWTH);
      // Two more rounds: the device is left alone, the reason stays.
      const contacted = healthFake.connections;
      await sleep(2 * HEALTH_PERIOD_S * 1000 + 500);
      expect(healthFake.connections).toBe(contacted);
      expect((await camera(id)).statusReason).toBe(view.statusReason);
      await alive();

      // New credentials end the quarantine: it is checked again at once (and held again).
      const patched = await tg.call('PATCH', `/api/cameras/${id}`, { token: admin, body: { credentials: { username: 'admin', password: PASSWORD } } });
      expect(patched.status).toBe(200);
      await until(() => healthFake.connections, (n) => n > contacted, 3000);
      expect(healthFake.connections).toBeGreaterThan(contacted);
      expect(await healthFake.openAfter(TIMEOUT_MS + 500)).toBe(0);
    });

    it('a camera that starts dripping its answers is quarantined as too slow, and its sockets are closed at the deadline', async () => {
      const res = await add({ name: 'drips', onvif: access(dripFake) }, true);
      expect(res.status).toBe(201);
      const id = res.body.id;
      dripFake.plan.set('GetDeviceInformation', 'drip');
      const view = await until(() => camera(id), (c) => c.status === 'offline', HEALTH_PERIOD_S * 1000 + 2 * TIMEOUT_MS + 2000);
      expect(view.statusReason).toMatch(/^camera at .* sent an answer too slow \(.*\); quarantined as a hostile or broken device \(it sent its answer too slowly\)/);
      // Every socket of the check was closed by its deadline (a drip never lets an idle timeout fire).
      expect(await dripFake.openAfter(300)).toBe(0);
    });

    it('an RTSP server answering endless headers: 502 with verify, saved offline without, then quarantined; nothing read past the cap', async () => {
      const url = `rtsp://admin:${PASSWORD}@${rtspFake.host}:8554/live`;
      rtspFake.reset();
      const strict = await add({ name: 'rtsp flood', rtspUrl: url }, true);
      expect(strict.status).toBe(502);
      expect(strict.body).toEqual({ code: 'CAMERA_PROTOCOL_ERROR', message: expect.stringMatching(/^RTSP server at .* sent an answer .*too large/) });
      expect(strict.text).not.toContain(PASSWORD);
      expect(await rtspFake.openAfter(300)).toBe(0);
      expect(rtspFake.maxSent).toBeLessThan(MAX_SENT);

      const res = await add({ name: 'rtsp flood', rtspUrl: url });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'offline', statusReason: expect.stringMatching(/too large/) });
      const view = await until(() => camera(res.body.id), (c) => /quarantined/.test(c.statusReason ?? ''), HEALTH_PERIOD_S * 1000 + 3000);
      expect(view.statusReason).toMatch(/^RTSP server at .* too large.*; quarantined as a hostile or broken device/);
      const contacted = rtspFake.connections;
      await sleep(2 * HEALTH_PERIOD_S * 1000 + 500);
      expect(rtspFake.connections).toBe(contacted);
      expect(rtspFake.maxSent).toBeLessThan(MAX_SENT);
      expect(await rtspFake.openAfter(300)).toBe(0);
    });
  });

  describe('snapshots', () => {
    let id: string;
    beforeAll(async () => {
      const res = await add({ name: 'snapshot', onvif: access(snapFake) }, true);
      expect(res.status).toBe(201);
      expect(res.body.snapshotUri).toContain(snapFake.host);
      id = res.body.id;
    });

    it('a 600 MB snapshot: 502 CAMERA_PROTOCOL_ERROR at 5 MiB, socket closed, the camera left alone for a while', async () => {
      snapFake.plan.set('snapshot', 'huge');
      snapFake.reset();
      const before = rss();
      const res = await tg.call('GET', `/api/cameras/${id}/snapshot`, { token: admin });
      expect(res.status).toBe(502);
      expect(res.body).toEqual({ code: 'CAMERA_PROTOCOL_ERROR', message: 'the camera sent a snapshot answer too large (> 5 MiB)' });
      expect(await snapFake.openAfter(300)).toBe(0);
      expect(snapFake.maxSent).toBeLessThan(MAX_SENT);
      expect(rss() - before).toBeLessThan(MAX_RSS_GROWTH);
      // Post PCs refresh every few seconds: they get the same answer without feeding the device a socket.
      // (Counted from after the first answer: the health monitor of this process may have checked the same
      // device before it, which a full CI run's timing makes likely; the quarantine then stops it too.)
      const contacted = snapFake.connections;
      expect(contacted).toBeGreaterThanOrEqual(1);
      const again = await tg.call('GET', `/api/cameras/${id}/snapshot`, { token: admin });
      expect(again.status).toBe(502);
      expect(snapFake.connections).toBe(contacted);
    });

    it('a snapshot dripped at 1 byte/s: 502 within the deadline, socket closed with it', async () => {
      const res = await add({ name: 'snapshot drip', onvif: access(snapDripFake) }, true);
      expect(res.status).toBe(201);
      snapDripFake.plan.set('snapshot', 'drip');
      snapDripFake.reset();
      const started = Date.now();
      const r = await tg.call('GET', `/api/cameras/${res.body.id}/snapshot`, { token: admin });
      expect(r.status).toBe(502);
      expect(r.body).toEqual({ code: 'CAMERA_PROTOCOL_ERROR', message: expect.stringMatching(/^the camera sent a snapshot answer too slow \(/) });
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
      expect(await snapDripFake.openAfter(300)).toBe(0);
      await alive();
    });
  });

  describe('sweeps', () => {
    it('ignores an oversized datagram, keeps markup scopes as text, and closes a dripping HTTP fallback at its deadline', async () => {
      sweepHttpFake.plan.set('GetSystemDateAndTime', 'drip');
      sweepHttpFake.reset();
      const start = await tg.call('POST', '/api/discovery/sweeps', { token: admin, body: { cidr: `${NET}.20/31`, ports: [8080] } });
      expect(start.status).toBe(202);
      const done = await until(() => tg.call('GET', `/api/discovery/sweeps/${start.body.id}`, { token: admin }), (r) => r.body.state !== 'running' && r.body.state !== 'queued', 20_000);
      expect(done.body.state).toBe('done');
      expect(done.body.found).toEqual([expect.objectContaining({ host: sweepFake.host, port: 8080, model: '<script>x</script>' })]);
      expect(sweepHttpFake.connections).toBeGreaterThan(0);
      expect(await sweepHttpFake.openAfter(300)).toBe(0);
      await alive();
    });
  });
});
