import { readFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import { FragmentHub } from './fragment-hub';
import { MseWebSocketServer, type MseWebSocketOptions } from './mse-websocket.server';
import { TranscoderMetrics } from './transcoder.metrics';

const FIXTURE = readFileSync(join(__dirname, '..', '..', '..', 'libs', 'media', 'src', 'fixtures', 'fmp4', 'testsrc2-320x240-25fps-2s.mp4'));
const BOX_ENDS: number[] = [];
for (let at = 0; at < FIXTURE.length; at += FIXTURE.readUInt32BE(at)) BOX_ENDS.push(at + FIXTURE.readUInt32BE(at));
const fragments = (from: number, to: number): Buffer => FIXTURE.subarray(BOX_ENDS[2 + 2 * from - 1], BOX_ENDS[2 + 2 * to + 1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Message = string | Buffer;

/** A ws client that records every message and the close code. */
function connect(url: string) {
  const ws = new WebSocket(url);
  const messages: Message[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data, isBinary) => messages.push(isBinary ? (data as Buffer) : data.toString()));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return { ws, messages, closed, opened };
}

describe('MseWebSocketServer', () => {
  let http: Server;
  let base: string;
  let hub: FragmentHub;
  let mse: MseWebSocketServer;
  let allowed: Set<string>;
  let touches: number;
  let metrics: TranscoderMetrics;

  async function start(extra: Partial<MseWebSocketOptions> = {}) {
    hub = new FragmentHub();
    hub.attach(1, undefined);
    hub.push(1, FIXTURE.subarray(0, BOX_ENDS[2 + 2 * 6 + 1])); // init + fragments 0..6, keyframe at 5
    allowed = new Set(['good']);
    touches = 0;
    metrics = new TranscoderMetrics(new Registry());
    mse = new MseWebSocketServer({
      source: { feedOf: (c, p) => (c === 'cam1' && p === 'main' ? hub : undefined), touch: () => (touches++, true) },
      allows: (token, c) => token !== undefined && allowed.has(token) && c === 'cam1',
      recheckMs: 50,
      metrics,
      ...extra,
    });
    http = createServer((_req, res) => res.end());
    http.on('upgrade', (req, socket, head) => mse.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  afterEach(async () => {
    mse?.close();
    http?.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  });

  it('sends the init (text, then binary), the GOP cache from its keyframe, then live fragments', async () => {
    await start();
    const c = connect(`${base}/live/cam1/main/mse?token=good`);
    await c.opened;
    await sleep(50);
    expect(JSON.parse(c.messages[0] as string)).toEqual({ type: 'init', codec: 'avc1.64000d', generation: 1 });
    expect((c.messages[1] as Buffer).toString('latin1', 4, 8)).toBe('ftyp');
    expect((c.messages[2] as Buffer).equals(fragments(5, 5))).toBe(true);
    expect((c.messages[3] as Buffer).equals(fragments(6, 6))).toBe(true);
    hub.push(1, fragments(7, 7));
    await sleep(30);
    expect(c.messages).toHaveLength(5);
    expect(touches).toBeGreaterThan(0);
    expect((await metrics.mseViewers.get()).values[0]!.value).toBe(1);
    c.ws.close();
  });

  it.each([
    ['a refused token', '/live/cam1/main/mse?token=bad'],
    ['no token', '/live/cam1/main/mse'],
    ['a token for another camera', '/live/cam2/main/mse?token=good'],
    ['a malformed path', '/live/cam1/main/../mse?token=good'],
    ['a stream without a session', '/live/cam1/sub/mse?token=good'],
  ])('answers %s with the same HTTP 404 before any upgrade', async (_name, path) => {
    await start();
    const res = await new Promise<{ status: number; body: string }>((resolve) => {
      const req = get(`${base.replace('ws:', 'http:')}${path}`, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d));
        r.on('end', () => resolve({ status: r.statusCode!, body }));
      });
      req.on('upgrade', () => resolve({ status: 101, body: '' }));
    });
    expect(res).toEqual({ status: 404, body: '{"code":"NOT_FOUND","message":"not found"}' });
  });

  it('closes 4401 once the token is no longer allowed, unless renewed in time', async () => {
    await start();
    const c = connect(`${base}/live/cam1/main/mse?token=good`);
    await c.opened;
    allowed.add('renewed');
    c.ws.send(JSON.stringify({ type: 'renew', token: 'renewed' }));
    await sleep(30);
    allowed.delete('good'); // the first token expired: the renewed one carries on
    await sleep(150);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    allowed.delete('renewed'); // a revoked grant
    expect(await c.closed).toBe(4401);
  });

  it('a renewal for another stream closes 4401', async () => {
    await start();
    const c = connect(`${base}/live/cam1/main/mse?token=good`);
    await c.opened;
    c.ws.send(JSON.stringify({ type: 'renew', token: 'not-allowed' }));
    expect(await c.closed).toBe(4401);
  });

  it('closes 1001 when the session ends', async () => {
    await start();
    const c = connect(`${base}/live/cam1/main/mse?token=good`);
    await c.opened;
    hub.end('idle');
    expect(await c.closed).toBe(1001);
    await sleep(20);
    expect(mse.size).toBe(0);
    expect((await metrics.mseViewers.get()).values[0]!.value).toBe(0);
  });

  it('a message over the cap closes the socket (1009)', async () => {
    await start();
    const c = connect(`${base}/live/cam1/main/mse?token=good`);
    await c.opened;
    c.ws.send('x'.repeat(5000));
    expect(await c.closed).toBe(1009);
  });

  it('a viewer over the buffer cap skips fragments (counted) and is closed 4408 when it stays over', async () => {
    await start({ maxBufferedBytes: -1, slowCloseMs: 100 }); // "always over": every live fragment is skipped
    const c = connect(`${base}/live/cam1/main/mse?token=good`);
    await c.opened;
    hub.push(1, fragments(7, 7));
    expect((await metrics.mseSlowDrops.get()).values[0]!.value).toBeGreaterThan(0);
    expect(await c.closed).toBe(4408);
  });
});
