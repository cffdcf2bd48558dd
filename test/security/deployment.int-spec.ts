import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@tiergate/config';
import { deviceAgent, setDeviceTlsPolicy } from '@tiergate/onvif';
import { applyDeviceTls } from '@tiergate/platform';

// Issue 11 item 18: no fixed database password in docker/, and TLS to cameras verified as configured.
// Addresses: 127.0.85.40 (an https "camera" with a self-signed certificate).
const ROOT = join(__dirname, '..', '..');
const CAMERA = '127.0.85.40';

describe('security: docker compose has no fixed database password', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker', 'docker-compose.yml'), 'utf8'));
  const environments = (): Array<[string, Record<string, unknown>]> => {
    const out: Array<[string, Record<string, unknown>]> = [['x-app', compose['x-app'].environment]];
    for (const [name, svc] of Object.entries<any>(compose.services)) if (svc.environment) out.push([name, svc.environment]);
    return out;
  };

  it('every database password comes from TIERGATE_DB_PASSWORD, required, with no default', () => {
    const required = /^\$\{TIERGATE_DB_PASSWORD:\?[^}]+\}$/;
    const seen: string[] = [];
    for (const [name, env] of environments()) {
      if (env.POSTGRES_PASSWORD !== undefined) {
        expect({ name, password: env.POSTGRES_PASSWORD }).toEqual({ name, password: expect.stringMatching(required) });
        seen.push(`${name}:POSTGRES_PASSWORD`);
      }
      if (typeof env.DATABASE_URL === 'string') {
        const m = /^postgres:\/\/[^:@/]+:(.+)@[^@]+$/.exec(env.DATABASE_URL);
        expect({ name, password: m?.[1] }).toEqual({ name, password: expect.stringMatching(required) });
        seen.push(`${name}:DATABASE_URL`);
      }
    }
    expect(seen).toEqual(expect.arrayContaining(['postgres:POSTGRES_PASSWORD', 'x-app:DATABASE_URL', 'discovery:DATABASE_URL']));
    expect(readFileSync(join(ROOT, 'docker', 'docker-compose.yml'), 'utf8')).not.toMatch(/tiergate:tiergate@|POSTGRES_PASSWORD: tiergate/);
  });
});

describe('security: TLS to cameras follows devices.tlsVerify', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let certFile: string;
  let otherCertFile: string;

  const selfSigned = (name: string, ip: string) => {
    const key = join(dir, `${name}.key`);
    const cert = join(dir, `${name}.pem`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${ip}`, '-addext', `subjectAltName=IP:${ip}`], { stdio: 'ignore' });
    return { key, cert };
  };

  /** A GET through the device agent, as snapshots and SOAP calls make them: 'ok' or the TLS error code. */
  const fetchThroughDeviceAgent = () =>
    new Promise<string>((resolve) => {
      const agent = deviceAgent({ maxBytes: 1024, deadlineMs: 3000 }, true);
      const req = get({ host: CAMERA, port, path: '/onvif-http/snapshot', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `status ${res.statusCode}`));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });

  const apply = (overrides: Record<string, unknown>) => applyDeviceTls(loadConfig({ env: {}, overrides }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tiergate-tls-'));
    const camera = selfSigned('camera', CAMERA);
    certFile = camera.cert;
    otherCertFile = selfSigned('other', CAMERA).cert;
    server = createServer({ key: readFileSync(camera.key), cert: readFileSync(camera.cert) }, (_req, res) => res.end('jpeg'));
    await new Promise<void>((r) => server.listen(0, CAMERA, () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    setDeviceTlsPolicy({ verify: false });
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('auto without a CA file: the self-signed certificates cameras ship with are accepted (the default)', async () => {
    apply({});
    expect(await fetchThroughDeviceAgent()).toBe('ok');
  });

  it('on: a certificate no trusted CA signed is refused', async () => {
    apply({ 'devices.tlsVerify': 'on' });
    expect(await fetchThroughDeviceAgent()).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  it('auto with the CA file of the cameras: verified, and a camera with another certificate is refused', async () => {
    apply({ 'devices.tlsCaFile': certFile });
    expect(await fetchThroughDeviceAgent()).toBe('ok');
    apply({ 'devices.tlsCaFile': otherCertFile });
    expect(await fetchThroughDeviceAgent()).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT|SIGNATURE/);
  });

  it('off: never verified; a CA file that cannot be read stops start-up naming the key', async () => {
    apply({ 'devices.tlsVerify': 'off', 'devices.tlsCaFile': otherCertFile });
    expect(await fetchThroughDeviceAgent()).toBe('ok');
    expect(() => apply({ 'devices.tlsCaFile': join(dir, 'missing.pem') })).toThrow(/devices\.tlsCaFile\) cannot be read: .*missing\.pem: ENOENT/);
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => apply({ 'devices.tlsCaFile': notPem })).toThrow(/holds no PEM certificate/);
  });
});
