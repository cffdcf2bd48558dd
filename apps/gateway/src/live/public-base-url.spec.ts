import { parseHost, publicBaseUrl, PublicUrlSettings } from './public-base-url';

const settings = (over: Partial<PublicUrlSettings> = {}): PublicUrlSettings => ({ publicUrl: '', allowedHosts: [], listenHost: '127.0.0.1', ...over });
const req = (host: string | undefined, over: Partial<{ protocol: string; localAddress: string; localPort: number }> = {}) => ({
  protocol: 'http', host, localAddress: '127.0.0.1', localPort: 8080, ...over,
});

describe('publicBaseUrl', () => {
  it('uses the configured public URL and nothing from the request', () => {
    expect(publicBaseUrl(settings({ publicUrl: 'https://video.example.org/tg/' }), req('evil.example:8080', { protocol: 'https' }))).toBe('https://video.example.org/tg');
  });

  it('keeps a Host that names this server: its address and port, localhost on loopback, the listen name, allowed hosts', () => {
    expect(publicBaseUrl(settings(), req('127.0.0.1:8080'))).toBe('http://127.0.0.1:8080');
    expect(publicBaseUrl(settings(), req('LOCALHOST:8080'))).toBe('http://localhost:8080');
    expect(publicBaseUrl(settings({ listenHost: 'gw.station7.lan' }), req('gw.station7.lan:8080', { localAddress: '10.1.2.3' }))).toBe('http://gw.station7.lan:8080');
    expect(publicBaseUrl(settings({ allowedHosts: ['video.lan'] }), req('video.lan'))).toBe('http://video.lan');
    expect(publicBaseUrl(settings({ allowedHosts: ['video.lan:9000'] }), req('video.lan:9000'))).toBe('http://video.lan:9000');
    expect(publicBaseUrl(settings(), req('[::1]:8080', { localAddress: '::1' }))).toBe('http://[::1]:8080');
    expect(publicBaseUrl(settings(), req('127.0.0.1:8080', { localAddress: '::ffff:127.0.0.1' }))).toBe('http://127.0.0.1:8080');
  });

  it('answers the accepted address for any other Host (spoofed name, other port, markup, missing)', () => {
    for (const host of ['evil.example', 'evil.example:8080', '127.0.0.1:9999', 'localhost:8080@evil.example', '127.0.0.1:8080/x', '"><script>', undefined, '']) {
      expect(publicBaseUrl(settings(), req(host))).toBe('http://127.0.0.1:8080');
    }
    expect(publicBaseUrl(settings({ allowedHosts: ['video.lan:9000'] }), req('video.lan:9001'))).toBe('http://127.0.0.1:8080');
    // localhost is only ours on a loopback connection
    expect(publicBaseUrl(settings({ listenHost: '0.0.0.0' }), req('localhost:8080', { localAddress: '10.1.2.3' }))).toBe('http://10.1.2.3:8080');
    // a wildcard listen address is not a name
    expect(publicBaseUrl(settings({ listenHost: '0.0.0.0' }), req('0.0.0.0:8080', { localAddress: '10.1.2.3' }))).toBe('http://10.1.2.3:8080');
  });

  it('takes the scheme from the request (the socket, or X-Forwarded-Proto from a trusted proxy only) and omits default ports', () => {
    expect(publicBaseUrl(settings({ allowedHosts: ['video.lan'] }), req('video.lan', { protocol: 'https' }))).toBe('https://video.lan');
    expect(publicBaseUrl(settings(), req('x', { protocol: 'javascript', localPort: 80 }))).toBe('http://127.0.0.1');
  });

  it('parses plain hosts only', () => {
    expect(parseHost('Cam.Example:8080')).toEqual({ name: 'cam.example', port: 8080 });
    expect(parseHost('cam.example')).toEqual({ name: 'cam.example', port: undefined });
    expect(parseHost('cam.example:70000')).toBeUndefined();
    expect(parseHost('user@cam')).toBeUndefined();
  });
});
