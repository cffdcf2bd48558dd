import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import { clientAddressOf, decideMseUpgrade, MseUpgradeDeps, PerAddressLimit, plainAnswer, tokenOfUrl, upgradeRequestHead, upgradeTargetOf } from './mse-upgrade.decision';

const CAM = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const OTHER = '0e9d8c7b-6a5f-4e3d-8c1b-a09f8e7d6c5b';
const W2: WorkerHeartbeatMessage = { workerId: 'w2', baseUrl: 'http://10.0.0.2:8081', capacity: 10, load: 1, sessions: [], at: '2026-01-01T00:00:00Z' };

/** A token is "good-<camera>-<profile>"; the worker here holds CAM/sub, W2 holds CAM/main. */
const deps = (over: Partial<MseUpgradeDeps> = {}): MseUpgradeDeps => ({
  allows: (token, cameraId, profile) => token === `good-${cameraId}-${profile}`,
  holdsLocally: (cameraId, profile) => cameraId === CAM && profile === 'sub',
  holderOf: (key) => (key.cameraId === CAM && key.profile === 'main' ? W2 : undefined),
  ...over,
});
const mse = (cam: string, profile: string, token?: string) => `/live/${cam}/${profile}/mse${token === undefined ? '' : `?token=${token}`}`;

describe('decideMseUpgrade', () => {
  it('gives a session in this process to the local worker and another worker\'s to the byte proxy', () => {
    expect(decideMseUpgrade({ method: 'GET', url: mse(CAM, 'sub', `good-${CAM}-sub`) }, deps())).toEqual({ kind: 'local', key: { cameraId: CAM, profile: 'sub' } });
    expect(decideMseUpgrade({ method: 'GET', url: mse(CAM, 'main', `good-${CAM}-main`) }, deps())).toEqual({ kind: 'proxy', key: { cameraId: CAM, profile: 'main' }, worker: W2 });
    // A gateway without a worker of its own proxies everything it can find a holder for.
    expect(decideMseUpgrade({ method: 'GET', url: mse(CAM, 'main', `good-${CAM}-main`) }, deps({ holdsLocally: undefined })).kind).toBe('proxy');
  });

  it('refuses alike: a token of another camera or profile, none, garbage, a session nowhere, another path or method', () => {
    const refused = [
      { method: 'GET', url: mse(OTHER, 'sub', `good-${CAM}-sub`) }, // camera A's token on camera B
      { method: 'GET', url: mse(CAM, 'main', `good-${CAM}-sub`) }, // the sub token on main
      { method: 'GET', url: mse(CAM, 'sub') },
      { method: 'GET', url: mse(CAM, 'sub', 'garbage') },
      { method: 'GET', url: mse(OTHER, 'sub', `good-${OTHER}-sub`) }, // valid, but no worker holds it
      { method: 'GET', url: `/hls/${CAM}/sub/index.m3u8?token=good-${CAM}-sub` },
      { method: 'GET', url: `/live/${CAM}/sub/mse/extra?token=good-${CAM}-sub` },
      { method: 'GET', url: `/live/not-a-uuid/sub/mse?token=good-not-a-uuid-sub` },
      { method: 'GET', url: `/live/${CAM}/4k/mse?token=good-${CAM}-4k` },
      { method: 'POST', url: mse(CAM, 'sub', `good-${CAM}-sub`) },
      { method: 'GET', url: undefined },
    ];
    for (const req of refused) expect([req.url, decideMseUpgrade(req, deps())]).toEqual([req.url, { kind: 'refuse' }]);
  });

  it('checks the token before asking where the session is', () => {
    const asked: string[] = [];
    decideMseUpgrade({ method: 'GET', url: mse(CAM, 'main', 'garbage') }, deps({ holdsLocally: () => (asked.push('local'), false), holderOf: () => (asked.push('holder'), W2) }));
    expect(asked).toEqual([]);
  });

  it('reads the token from the query', () => {
    expect(tokenOfUrl('/live/x/sub/mse?a=1&token=abc.def')).toBe('abc.def');
    expect(tokenOfUrl('/live/x/sub/mse')).toBeUndefined();
  });
});

describe('upgradeRequestHead', () => {
  const raw = ['Host', 'gw.lan:8080', 'Upgrade', 'websocket', 'Connection', 'Upgrade', 'Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version', '13', 'X-Forwarded-For', '6.6.6.6', 'Cookie', 'a=1', 'Cookie', 'b=2'];

  it('keeps the request line and the client\'s headers in order, names the worker as Host and the client in X-Forwarded-For', () => {
    const head = upgradeRequestHead({ method: 'GET', url: mse(CAM, 'sub', 't'), rawHeaders: raw }, upgradeTargetOf('http://10.0.0.2:8081')!, '10.9.9.9').toString('latin1');
    expect(head).toBe(
      `GET /live/${CAM}/sub/mse?token=t HTTP/1.1\r\nHost: 10.0.0.2:8081\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: a=1\r\nCookie: b=2\r\nX-Forwarded-For: 10.9.9.9\r\n\r\n`,
    );
  });

  it('puts a worker base URL\'s path before the request path', () => {
    const head = upgradeRequestHead({ method: 'GET', url: '/live/x/sub/mse?token=t', rawHeaders: [] }, upgradeTargetOf('https://w3.lan/video/')!, undefined).toString('latin1');
    expect(head).toBe('GET /video/live/x/sub/mse?token=t HTTP/1.1\r\nHost: w3.lan\r\n\r\n');
  });
});

describe('upgradeTargetOf', () => {
  it('takes a worker base URL apart; nothing but http(s)', () => {
    expect(upgradeTargetOf('http://10.0.0.2:8081')).toEqual({ tls: false, host: '10.0.0.2', port: 8081, pathPrefix: '', hostHeader: '10.0.0.2:8081' });
    expect(upgradeTargetOf('https://w3.lan')).toEqual({ tls: true, host: 'w3.lan', port: 443, pathPrefix: '', hostHeader: 'w3.lan' });
    expect(upgradeTargetOf('http://[::1]:9000')).toMatchObject({ host: '::1', port: 9000, hostHeader: '[::1]:9000' });
    expect(upgradeTargetOf('file:///etc/passwd')).toBeUndefined();
    expect(upgradeTargetOf('not a url')).toBeUndefined();
  });
});

describe('plainAnswer', () => {
  it('is a whole HTTP answer with its length, closed after', () => {
    expect(plainAnswer(404, '{"code":"NOT_FOUND"}').toString()).toBe(
      'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 20\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{"code":"NOT_FOUND"}',
    );
  });
});

describe('clientAddressOf', () => {
  it('believes X-Forwarded-For only through trusted proxies, as Express does', () => {
    const none = () => false;
    const loopback = (a: string) => a.startsWith('127.');
    expect(clientAddressOf('10.1.1.1', '6.6.6.6', none)).toBe('10.1.1.1');
    expect(clientAddressOf('127.0.0.1', '10.2.2.2', loopback)).toBe('10.2.2.2');
    // A client that forges a hop ahead of the proxy's: only the proxy's own entry is believed.
    expect(clientAddressOf('127.0.0.1', '6.6.6.6, 10.2.2.2', loopback)).toBe('10.2.2.2');
    expect(clientAddressOf('127.0.0.1', undefined, loopback)).toBe('127.0.0.1');
  });
});

describe('PerAddressLimit', () => {
  it('holds at most max open sockets per address and gives places back', () => {
    const limit = new PerAddressLimit(2);
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('b')]).toEqual([true, true, false, true]);
    limit.release('a');
    expect(limit.take('a')).toBe(true);
    limit.release('a');
    limit.release('a');
    expect(limit.countOf('a')).toBe(0);
  });
});
