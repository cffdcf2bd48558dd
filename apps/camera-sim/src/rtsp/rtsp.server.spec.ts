import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { FixtureStore } from '../fixtures/fixture.store';
import { MAIN_FIXTURE, SUB_FIXTURE } from '../fixtures/fixture.args';
import { probeVideo, recordRtsp } from '../testing/media-probe';
import { loadH264Source } from './h264.source';
import { RtspServer } from './rtsp.server';
import { StreamPacer } from './stream.pacer';

jest.setTimeout(60_000);

const HOST = '127.0.1.201';
const PORT = 18554;
const creds = { username: 'admin', password: 'sim-pass' };

describe('RtspServer with ffmpeg as client', () => {
  let server: RtspServer;
  let main: StreamPacer;
  let sub: StreamPacer;
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'rtsp-spec-'));
    const store = new FixtureStore();
    const [m, s] = await Promise.all([
      store.get({ ...MAIN_FIXTURE, label: 'spec main' }),
      store.get({ ...SUB_FIXTURE, label: 'spec sub' }),
    ]);
    main = new StreamPacer(await loadH264Source(m.h264, MAIN_FIXTURE));
    sub = new StreamPacer(await loadH264Source(s.h264, SUB_FIXTURE));
    server = new RtspServer({ host: HOST, port: PORT, streams: new Map([['main', main], ['sub', sub]]), credentials: creds });
    await server.start();
  });

  afterAll(async () => {
    await server.stop();
    if (!process.env.KEEP) rmSync(out, { recursive: true, force: true });
  });

  it('serves /main over TCP interleaved with Digest auth, decodable 1280x720', async () => {
    const file = path.join(out, 'tcp.mkv');
    const warnings = await recordRtsp(`rtsp://admin:sim-pass@${HOST}:${PORT}/main`, 'tcp', file, 2);
    if (process.env.KEEP) console.log(warnings);
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(probe.frames).toBeGreaterThan(25);
  });

  it('serves /sub over UDP, two clients at once sharing one pacer', async () => {
    const a = path.join(out, 'udp-a.mkv');
    const b = path.join(out, 'udp-b.mkv');
    await Promise.all([
      recordRtsp(`rtsp://admin:sim-pass@${HOST}:${PORT}/sub`, 'udp', a, 2),
      recordRtsp(`rtsp://admin:sim-pass@${HOST}:${PORT}/sub`, 'tcp', b, 2),
    ]);
    for (const file of [a, b]) {
      const probe = await probeVideo(file);
      expect(probe).toMatchObject({ codec: 'h264', width: 640, height: 360 });
      expect(probe.frames).toBeGreaterThan(25);
    }
  });

  it('stops the pacer and forgets sessions once clients leave', async () => {
    await new Promise((r) => setTimeout(r, 100));
    expect(main.running).toBe(false);
    expect(sub.running).toBe(false);
    expect(server.sessionCount).toBe(0);
  });

  it('refuses wrong credentials and unknown paths', async () => {
    const ask = (request: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(PORT, HOST, () => socket.write(request));
        socket.once('data', (d) => {
          resolve(d.toString());
          socket.destroy();
        });
        socket.once('error', reject);
      });
    const basicBad = Buffer.from('admin:nope').toString('base64');
    const basicGood = Buffer.from('admin:sim-pass').toString('base64');
    expect(await ask(`DESCRIBE rtsp://${HOST}:${PORT}/main RTSP/1.0\r\nCSeq: 1\r\n\r\n`)).toMatch(/^RTSP\/1.0 401[\s\S]*WWW-Authenticate: Digest/);
    expect(await ask(`DESCRIBE rtsp://${HOST}:${PORT}/main RTSP/1.0\r\nCSeq: 2\r\nAuthorization: Basic ${basicBad}\r\n\r\n`)).toMatch(/^RTSP\/1.0 401/);
    const ok = await ask(`DESCRIBE rtsp://${HOST}:${PORT}/main RTSP/1.0\r\nCSeq: 3\r\nAuthorization: Basic ${basicGood}\r\n\r\n`);
    expect(ok).toMatch(/^RTSP\/1.0 200/);
    expect(ok).toMatch(/sprop-parameter-sets=Z[A-Za-z0-9+/=]+,aM/);
    expect(ok).toMatch(/profile-level-id=(42|4d|64)[0-9a-f]{4};/);
    expect(await ask(`DESCRIBE rtsp://${HOST}:${PORT}/nope RTSP/1.0\r\nCSeq: 4\r\nAuthorization: Basic ${basicGood}\r\n\r\n`)).toMatch(/^RTSP\/1.0 404/);
    expect(await ask('garbage\r\n\r\n')).toMatch(/^RTSP\/1.0 400/);
  });
});
