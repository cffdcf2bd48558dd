/**
 * Issue 11, items 12 and 18: X-Forwarded-* believed only from configured proxies; absolute URLs (hlsUrl) never
 * built from a spoofed Host; /api/docs and /metrics behind settings.
 *
 * Two gateways: one on the defaults (no proxy trusted, no public URL, `video.lan` allowed, metrics off) and one
 * behind a trusted loopback proxy with a public URL, docs off and a metrics token.
 */
import { request } from 'node:http';
import { startCameraFleet, type Fleet } from '../../apps/camera-sim/src';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { startTestProcess, type TestProcess } from '../support/harness';
import { decodeVideo } from '../support/media';

jest.setTimeout(90_000);

// Embedded and external runs may overlap: each uses its own loopback block.
const BLOCK = process.env.TIERGATE_TEST_MODE === 'external' ? 84 : 83;
const METRICS_TOKEN = 'metrics-token-for-the-proxy-test';
const SPOOF = { host: 'evil.example:4444', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };

interface Answer { status: number; body: any; text: string; headers: Record<string, string | string[] | undefined> }

/** An HTTP call with headers fetch will not send as given (Host). */
function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const u = new URL(base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method, path, headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let parsed: unknown;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('proxy headers, public URLs, docs and metrics', () => {
  let fleet: Fleet;
  let plain: TestProcess;
  let proxied: TestProcess;
  let cameraId: string;
  let cameraIdProxied: string;
  const timing = { 'transcoder.startTimeoutMs': 10000, 'transcoder.idleCloseMs': 5000, 'health.intervalSeconds': 3600 };

  beforeAll(async () => {
    fleet = await startCameraFleet({ count: 1, firstAddress: `127.0.${BLOCK}.1` });
    plain = await startTestProcess({ name: 'proxy-plain', modules: [GatewayModule, TranscoderModule], http: true }, {
      ...timing, 'http.allowedHosts': 'video.lan', 'http.metrics': false,
    });
    proxied = await startTestProcess({ name: 'proxy-trusted', modules: [GatewayModule, TranscoderModule], http: true }, {
      ...timing, 'http.trustProxy': 'loopback', 'http.publicUrl': 'https://video.example.org/tg/', 'http.docs': 'off', 'http.metricsToken': METRICS_TOKEN,
    });
    const cam = fleet.cameras[0]!;
    for (const [tg, set] of [[plain, (id: string) => (cameraId = id)], [proxied, (id: string) => (cameraIdProxied = id)]] as const) {
      const admin = await tg.login();
      const res = await tg.call('POST', '/api/cameras', { token: admin, body: { name: 'Proxy test cam', onvif: { host: cam.host, port: cam.onvifPort, username: 'admin', password: 'sim-pass' } } });
      if (res.status !== 201) throw new Error(`camera: ${res.status} ${res.text}`);
      set(res.body.id);
    }
  }, 120_000);

  afterAll(async () => {
    await plain?.stop();
    await proxied?.stop();
    await fleet?.stop();
  });

  const loginWith = async (tg: TestProcess, headers: Record<string, string>) => {
    const res = await call(tg.url, 'POST', '/api/auth/login', headers, { username: 'admin', password: 'admin-test-password' });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };
  const lastLoginIp = async (tg: TestProcess, token: string) => {
    const audit = await tg.call('GET', '/api/audit?action=auth.login', { token });
    expect(audit.status).toBe(200);
    const entries = audit.body as { at: string; ip: string | null }[];
    return [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0]?.ip;
  };

  it('ignores X-Forwarded-For from a client when no proxy is configured: the audit log has the socket address', async () => {
    const token = await loginWith(plain, SPOOF);
    expect(await lastLoginIp(plain, token)).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('believes X-Forwarded-For from a configured proxy', async () => {
    const token = await loginWith(proxied, { 'x-forwarded-for': '203.0.113.9' });
    expect(await lastLoginIp(proxied, token)).toBe('203.0.113.9');
  });

  it('never reflects a spoofed Host or X-Forwarded-Proto/-Host into hlsUrl; the URL it gives plays with no header', async () => {
    const token = await plain.login();
    const auth = { authorization: `Bearer ${token}` };
    const spoofed = await call(plain.url, 'POST', `/api/cameras/${cameraId}/live`, { ...auth, ...SPOOF }, { profile: 'sub' });
    expect(spoofed.status).toBe(200);
    expect(spoofed.body.hlsUrl.startsWith(`${plain.url}/hls/${cameraId}/sub/index.m3u8?token=`)).toBe(true);
    expect(spoofed.body.hlsUrl).not.toMatch(/evil|https:/);
    // The contract: hlsUrl is absolute and plays in a plain client (ffmpeg here) with no further header.
    const video = await decodeVideo(spoofed.body.hlsUrl, 5);
    expect(video.frames).toBe(5);

    // A Host that names this server is kept: its own address, localhost on loopback, an allowed host name.
    const port = new URL(plain.url).port;
    for (const [host, base] of [[`127.0.0.1:${port}`, plain.url], [`localhost:${port}`, `http://localhost:${port}`], ['video.lan', 'http://video.lan']]) {
      const res = await call(plain.url, 'POST', `/api/cameras/${cameraId}/live`, { ...auth, host }, { profile: 'sub' });
      expect(res.status).toBe(200);
      expect(res.body.hlsUrl.startsWith(`${base}/hls/`)).toBe(true);
    }
  });

  it('builds hlsUrl from http.publicUrl whatever the request says', async () => {
    const token = await proxied.login();
    const res = await call(proxied.url, 'POST', `/api/cameras/${cameraIdProxied}/live`, { authorization: `Bearer ${token}`, ...SPOOF }, { profile: 'sub' });
    expect(res.status).toBe(200);
    expect(res.body.hlsUrl.startsWith(`https://video.example.org/tg/hls/${cameraIdProxied}/sub/index.m3u8?token=`)).toBe(true);
  });

  it('serves /api/docs by default in embedded mode only (not with a database server), and not when http.docs is off', async () => {
    const external = process.env.TIERGATE_TEST_MODE === 'external';
    expect((await call(plain.url, 'GET', '/api/docs/openapi.json')).status).toBe(external ? 404 : 200);
    if (!external) {
      const docs = await call(plain.url, 'GET', '/api/docs', { accept: 'text/html' });
      expect(docs.status).toBe(200);
      expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(String(docs.headers['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe/);
    }
    expect((await call(proxied.url, 'GET', '/api/docs/openapi.json')).status).toBe(404);
    expect((await call(proxied.url, 'GET', '/api/docs', { accept: 'application/json' })).status).toBe(404);
  });

  it('answers /metrics 404 when off and only with the bearer token when one is set', async () => {
    const off = await call(plain.url, 'GET', '/metrics');
    expect(off.status).toBe(404);
    expect(off.text).not.toContain('tiergate_');
    const wrong: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${METRICS_TOKEN}` }];
    for (const headers of wrong) {
      const refused = await call(proxied.url, 'GET', '/metrics', headers);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
      expect(refused.text).not.toContain('tiergate_');
    }
    const ok = await call(proxied.url, 'GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/tiergate_process_cpu_seconds_total/);
  });
});
