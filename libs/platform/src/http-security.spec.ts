import { join } from 'node:path';
import { ConfigError, loadConfig } from '@tiergate/config';
import { contentSecurityPolicy, cspHeader, docsEnabled, helmetOptions, originOf, trustProxySetting } from './http-security';

const configDir = join(__dirname, '..', '..', '..', 'config');
const config = (env: Record<string, string> = {}) => loadConfig({ configDir, env });

describe('http security settings', () => {
  it('builds a strict policy: self only, no inline script or style attribute, no framing, no base, blob for hls.js', () => {
    const csp = cspHeader(contentSecurityPolicy(config()));
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("img-src 'self' data: blob:;");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('adds the tile server to img-src and the public URL to connect-src, from configuration only', () => {
    const c = config({ TIERGATE__CONSOLE__TILE_URL: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', TIERGATE_PUBLIC_URL: 'https://video.example.org:8443/tg/' });
    const csp = contentSecurityPolicy(c);
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://*.tile.example.org']);
    expect(csp['connect-src']).toEqual(["'self'", 'https://video.example.org:8443', 'wss://video.example.org:8443']);
    expect(originOf('http://127.0.0.1:9000/{z}/{x}/{y}.png')).toBe('http://127.0.0.1:9000');
    expect(originOf("https://a.org;script-src 'unsafe-inline'/x")).toBeUndefined();
    expect(originOf('')).toBeUndefined();
  });

  it('adds the static-media nginx to connect-src (hls.js fetches its segments there)', () => {
    const csp = contentSecurityPolicy(config({ TIERGATE__TRANSCODER__STATIC_MEDIA_URL: 'https://media.example.org:8091/media' }));
    expect(csp['connect-src']).toEqual(["'self'", 'https://media.example.org:8091']);
  });

  it('sends HSTS only for an https public URL', () => {
    expect(helmetOptions(config()).strictTransportSecurity).toBe(false);
    expect(helmetOptions(config({ TIERGATE_PUBLIC_URL: 'https://video.example.org' })).strictTransportSecurity).toEqual(expect.objectContaining({ maxAge: 31536000 }));
    expect(helmetOptions(config()).referrerPolicy).toEqual({ policy: 'no-referrer' });
  });

  it('serves the API docs in embedded or demo mode unless told otherwise', () => {
    expect(docsEnabled(config())).toBe(true); // embedded database
    const server = { DATABASE_URL: 'postgres://u@h/d' };
    expect(docsEnabled(config(server))).toBe(false);
    expect(docsEnabled(config({ ...server, TIERGATE_DEMO: '1' }))).toBe(true);
    expect(docsEnabled(config({ ...server, TIERGATE__HTTP__DOCS: 'on' }))).toBe(true);
    expect(docsEnabled(config({ TIERGATE__HTTP__DOCS: 'off' }))).toBe(false);
  });

  it('trusts no proxy unless configured, and refuses a malformed list at start-up', () => {
    expect(trustProxySetting(config())).toBe(false);
    expect(trustProxySetting(config({ TIERGATE_TRUST_PROXY: '10.0.0.5, 192.168.1.0/24,loopback' }))).toEqual(['10.0.0.5', '192.168.1.0/24', 'loopback']);
    expect(() => config({ TIERGATE_TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
    expect(() => config({ TIERGATE_METRICS_TOKEN: 'short' })).toThrow(/TIERGATE_METRICS_TOKEN \(http.metricsToken\)/);
  });
});
