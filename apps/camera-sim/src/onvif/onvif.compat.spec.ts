import { request } from 'node:http';
import { usernameTokenHeader } from '@tiergate/onvif';
import { digestAuthorization } from '../auth/digest.auth';
import { Fleet, startCameraFleet } from '../fleet';

// The npm `onvif` package (0.8.3) is the reference client; it has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Cam } = require('onvif') as { Cam: new (opts: object, cb: (err: Error | null) => void) => OnvifCam };

interface OnvifCam {
  profiles: Array<{ $: { token: string }; name: string; videoEncoderConfiguration: { encoding: string; resolution: { width: number; height: number } } }>;
  activeSource: { width: number; height: number; fps: number; encoding: string };
  getDeviceInformation(cb: (err: Error | null, info: Record<string, unknown>) => void): void;
  getStreamUri(opts: object, cb: (err: Error | null, uri: { uri: string }) => void): void;
  getSnapshotUri(opts: object, cb: (err: Error | null, uri: { uri: string }) => void): void;
  getSystemDateAndTime(cb: (err: Error | null, date: Date) => void): void;
}

jest.setTimeout(60_000);

const PORT = 18081;
const FIRST = '127.0.1.121';

function connect(host: string, password = 'sim-pass', extra: object = {}): Promise<OnvifCam> {
  return new Promise((resolve, reject) => {
    const cam: OnvifCam = new Cam({ hostname: host, port: PORT, username: 'admin', password, timeout: 5000, ...extra }, (err) =>
      err ? reject(err) : resolve(cam),
    );
  });
}

const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

function post(host: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port: PORT, agent: false, path: '/onvif/device_service', method: 'POST', headers: { 'Content-Type': 'application/soap+xml', ...headers } }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const envelope = (body: string): string =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${body}</s:Body></s:Envelope>`;

describe('ONVIF simulator against the npm onvif client', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startCameraFleet({
      count: 7,
      firstAddress: FIRST,
      onvifPort: PORT,
      rtspPort: 18556,
      discoveryPort: 13703,
      labelPerCamera: false,
      quirks: {
        1: { digestOnly: true },
        2: { clockOffsetSeconds: 3600 },
        3: { localTimeOnly: true },
        4: { natStreamUri: true },
        5: { serial20Digits: true },
        6: { slowResponsesMs: 300 },
      },
    });
  });

  afterAll(() => fleet?.stop());

  it('connects, reads device information, profiles and stream URIs', async () => {
    const c = fleet.cameras[0];
    const cam = await connect(c.host);
    const info = await call<Record<string, unknown>>((cb) => cam.getDeviceInformation(cb));
    expect(info).toMatchObject({ manufacturer: 'Tiergate', model: 'SimCam 1000', serialNumber: 'SIM000001' });
    expect(cam.profiles.map((p) => p.$.token)).toEqual(['profile_main', 'profile_sub']);
    expect(cam.profiles[1].videoEncoderConfiguration).toMatchObject({ encoding: 'H264', resolution: { width: 640, height: 360 } });
    expect(cam.activeSource).toMatchObject({ width: 1280, height: 720, fps: 25, encoding: 'H264' });
    const main = await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_main' }, cb));
    expect(main.uri).toBe(c.mainRtspUrl);
    const sub = await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_sub' }, cb));
    expect(sub.uri).toBe(c.subRtspUrl);
    const snap = await call<{ uri: string }>((cb) => cam.getSnapshotUri({ profileToken: 'profile_main' }, cb));
    expect(snap.uri).toBe(`http://${c.host}:${PORT}/onvif/snapshot/profile_main.jpg`);
  });

  it('refuses a wrong password with NotAuthorized', async () => {
    await expect(connect(fleet.cameras[0].host, 'wrong')).rejects.toThrow(/not ?authorized|authentication failed/i);
    const plain = await post(fleet.cameras[0].host, envelope('<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(plain.status).toBe(401);
    expect(plain.body).toContain('ter:NotAuthorized');
    expect(String(plain.headers['www-authenticate'])).toMatch(/^Digest /);
  });

  it('accepts PasswordText and HTTP Digest', async () => {
    const host = fleet.cameras[0].host;
    const textToken =
      `<s:Header><Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>` +
      `<Username>admin</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">%PW%</Password>` +
      `</UsernameToken></Security></s:Header>`;
    const body = (pw: string): string =>
      `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">${textToken.replace('%PW%', pw)}<s:Body><GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`;
    expect((await post(host, body('sim-pass'))).status).toBe(200);
    const bad = await post(host, body('nope'));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('ter:NotAuthorized');

    const req = envelope('<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
    const challenge = String((await post(host, req)).headers['www-authenticate']);
    const good = digestAuthorization(challenge, 'POST', '/onvif/device_service', { username: 'admin', password: 'sim-pass' });
    const ok = await post(host, req, { Authorization: good });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<tds:SerialNumber>SIM000001</tds:SerialNumber>');
    const wrong = digestAuthorization(challenge, 'POST', '/onvif/device_service', { username: 'admin', password: 'x' });
    expect((await post(host, req, { Authorization: wrong })).status).toBe(401);
  });

  it('digestOnly: refuses WS-UsernameToken but the client falls back to Digest', async () => {
    const cam = await connect(fleet.cameras[1].host);
    expect(cam.profiles).toHaveLength(2);
    await expect(connect(fleet.cameras[1].host, 'wrong')).rejects.toThrow(/authentication failed|not ?authorized/i);
  });

  it('clockOffsetSeconds: reports the shifted clock, and the client adjusting to it still authenticates', async () => {
    const cam = await connect(fleet.cameras[2].host);
    const date = await call<Date>((cb) => cam.getSystemDateAndTime(cb));
    expect(Math.abs(date.getTime() - Date.now() - 3600_000)).toBeLessThan(5000);
    // a client that ignores the camera clock sends a token the camera finds stale
    const stale = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${usernameTokenHeader('admin', 'sim-pass')}</s:Header>` +
      `<s:Body><GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`;
    const r = await post(fleet.cameras[2].host, stale);
    expect(r.status).toBe(400);
    expect(r.body).toContain('ter:NotAuthorized');
    expect((await post(fleet.cameras[0].host, stale)).status).toBe(200);
  });

  it('localTimeOnly: no UTCDateTime in GetSystemDateAndTime', async () => {
    const r = await post(fleet.cameras[3].host, envelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(r.status).toBe(200);
    expect(r.body).toContain('LocalDateTime');
    expect(r.body).not.toContain('UTCDateTime');
    expect(r.body).toContain('<tt:TZ>CST-8</tt:TZ>');
    // the onvif client reads LocalDateTime as UTC, is 8 h off, and its tokens are then refused
    await expect(connect(fleet.cameras[3].host)).rejects.toThrow(/not ?authorized/i);
    const normal = await post(fleet.cameras[0].host, envelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(normal.body).toContain('UTCDateTime');
  });

  it('natStreamUri: the stream URI carries a private 10.x address', async () => {
    const cam = await connect(fleet.cameras[4].host);
    const main = await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_main' }, cb));
    expect(main.uri).toMatch(/^rtsp:\/\/10\.\d+\.\d+\.\d+:18556\/main$/);
  });

  it('serial20Digits: the serial is 20 digits in the XML (the onvif client turns it into a lossy number)', async () => {
    const c = fleet.cameras[5];
    expect(c.serial).toMatch(/^\d{20}$/);
    const cam = await connect(c.host);
    const info = await call<Record<string, unknown>>((cb) => cam.getDeviceInformation(cb));
    expect(typeof info.serialNumber).toBe('number'); // why clients must read the raw XML as text
    expect(String(info.serialNumber)).not.toBe(c.serial);
  });

  it('slowResponsesMs: answers are delayed', async () => {
    const t0 = Date.now();
    await post(fleet.cameras[6].host, envelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('quirks switch at runtime; offline closes ONVIF, online reopens it', async () => {
    const c = fleet.cameras[0];
    await c.setQuirks({ natStreamUri: true });
    const cam = await connect(c.host);
    const uri = await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_sub' }, cb));
    expect(uri.uri).toMatch(/^rtsp:\/\/10\./);
    await c.setQuirks({ natStreamUri: false, offline: true });
    expect(c.isOnline).toBe(false);
    await expect(post(c.host, envelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'))).rejects.toThrow(/ECONNREFUSED/);
    await c.goOnline();
    expect((await connect(c.host)).profiles).toHaveLength(2);
  });

  it('rejects hostile XML: entity declarations and oversized bodies', async () => {
    const host = fleet.cameras[0].host;
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
      envelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"><x>&lol3;</x></GetSystemDateAndTime>');
    const r1 = await post(host, laughs);
    expect(r1.status).toBe(400);
    expect(r1.body).toContain('Fault');
    const huge = envelope(`<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/><!--${'x'.repeat(70 * 1024)}-->`);
    const r2 = await post(host, huge);
    expect(r2.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request({ host, port: PORT, agent: false, path: '/onvif/device_service', method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i += 1) req.write('x'.repeat(8 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    expect((await post(host, 'not xml at all')).status).toBe(400);
    // still serving afterwards
    expect((await post(host, envelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'))).status).toBe(200);
  });
});
