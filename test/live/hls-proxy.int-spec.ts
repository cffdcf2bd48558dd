/**
 * The gateway's HLS proxy (apps/gateway/src/live/hls-proxy.middleware.ts) against workers that misbehave the way
 * the fault suite found them: hung (SIGSTOP: connections accepted, never answered), killed under a segment
 * request, and a worker reply that comes after the viewer was already answered. Real HTTP on 127.0.63.x, the
 * middleware in a bare Express app; placement is a fake that records what the proxy tells it.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import express from 'express';
import type { StreamTokens } from '@tiergate/access';
import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import { HlsProxyMiddleware } from '../../apps/gateway/src/live/hls-proxy.middleware';
import type { StreamPlacement } from '../../apps/gateway/src/live/stream-placement.service';
import type { WorkerDirectory } from '../../apps/gateway/src/live/worker.directory';
import { PLAYLIST_DEADLINE_MS, SEGMENT_DEADLINE_MS, WorkerLink } from '../../apps/gateway/src/live/worker-link';

const NET = '127.0.63'; // this file's addresses: gateway .1, workers .11-.13
const CAM = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const PLAYLIST = (first: number, dsn: number) =>
  `#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:${first}\n#EXT-X-DISCONTINUITY-SEQUENCE:${dsn}\n#EXT-X-DISCONTINUITY\n#EXTINF:1.000000,\nseg_${first}.ts\n#EXTINF:1.000000,\nseg_${first + 1}.ts\n`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A stand-in worker HLS server whose behaviour a test sets. */
class FakeWorker {
  handler: Handler = (_req, res) => res.writeHead(404).end();
  readonly sockets = new Set<Socket>();
  private server!: Server;
  constructor(readonly id: string, private readonly host: string) {}
  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handler(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, this.host, () => r()));
    return this;
  }
  get hb(): WorkerHeartbeatMessage {
    const { port } = this.server.address() as AddressInfo;
    return { workerId: this.id, baseUrl: `http://${this.host}:${port}`, capacity: 10, load: 1, sessions: [], at: new Date().toISOString() };
  }
  /** Killed: every open connection reset. */
  resetAll(): void {
    for (const s of this.sockets) s.resetAndDestroy();
  }
  async stop(): Promise<void> {
    this.resetAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Placement as the proxy sees it: who holds the session, who it was moved to, what it was told. */
class FakePlacement {
  holder: WorkerHeartbeatMessage | undefined;
  next: WorkerHeartbeatMessage | undefined;
  placeDelayMs = 0;
  readonly failed: { workerId: string; reason: string; code?: string }[] = [];
  readonly served: { mediaSequence: number; discontinuitySequence: number }[] = [];
  holderFor() {
    return this.holder;
  }
  /** What WorkerDirectory would say of a failed worker: 'slow' for a busy one (worker-liveness.ts failureVerdict). */
  verdict: 'dead' | 'slow' = 'dead';
  workerFailed(workerId: string, reason: string, code?: string) {
    this.failed.push({ workerId, reason, code });
    if (this.verdict === 'slow') return 'slow';
    if (this.holder?.workerId === workerId) this.holder = undefined;
    return 'dead';
  }
  ensured = 0;
  async ensureSession(): Promise<string> {
    this.ensured++;
    await new Promise((r) => setTimeout(r, this.placeDelayMs));
    if (!this.next) throw new Error('no worker');
    this.holder = this.next;
    return this.next.workerId;
  }
  servedPosition(p: { mediaSequence: number; discontinuitySequence: number }) {
    this.served.push(p);
  }
}

describe('HLS proxy against misbehaving workers', () => {
  const workers: FakeWorker[] = [];
  let placement: FakePlacement;
  let link: WorkerLink;
  let gateway: Server;
  let base: string;
  let linkOverride: WorkerLink | undefined;

  const start = async () => {
    placement = new FakePlacement();
    const directory = { get: (id: string) => workers.find((w) => w.id === id)?.hb } as unknown as WorkerDirectory;
    const tokens = { allows: () => true } as unknown as StreamTokens;
    const asPlacement = {
      holderFor: () => placement.holderFor(),
      workerFailed: (id: string, reason: string, code?: string) => placement.workerFailed(id, reason, code),
      ensureSession: () => placement.ensureSession(),
      served: (_c: string, _p: string, pos: { mediaSequence: number; discontinuitySequence: number }) => placement.servedPosition(pos),
    } as unknown as StreamPlacement;
    const proxy = new HlsProxyMiddleware(tokens, asPlacement, directory, linkOverride ?? link);
    const app = express();
    app.use('/hls', (req, res, next) => proxy.use(req, res, next));
    gateway = createServer(app);
    await new Promise<void>((r) => gateway.listen(0, `${NET}.1`, () => r()));
    base = `http://${NET}.1:${(gateway.address() as AddressInfo).port}/hls/${CAM}/sub`;
  };

  beforeAll(async () => {
    link = new WorkerLink();
    workers.push(await new FakeWorker('w1', `${NET}.11`).start(), await new FakeWorker('w2', `${NET}.12`).start());
  });

  afterEach(async () => {
    linkOverride = undefined;
    gateway?.closeAllConnections();
    await new Promise<void>((r) => gateway?.close(() => r()));
  });

  afterAll(async () => {
    link.onModuleDestroy();
    for (const w of workers) await w.stop();
  });

  it('passes a playlist on whole and remembers its newest segment for a new worker to continue from', async () => {
    await start();
    workers[0]!.handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache' }).end(PLAYLIST(700, 3));
    placement.holder = workers[0]!.hb;
    const res = await fetch(`${base}/index.m3u8?token=t`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(await res.text()).toBe(PLAYLIST(700, 3));
    expect(placement.served).toEqual([{ mediaSequence: 701, discontinuitySequence: 4 }]);
  });

  it('an LL-HLS blocking reload the worker holds past the playlist deadline is passed on: the worker is not taken for hung, and continuity is not read from it', async () => {
    await start();
    const ll = PLAYLIST(800, 0).replace('#EXT-X-VERSION:6', '#EXT-X-VERSION:9\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600');
    workers[0]!.handler = (req, res) => {
      // the part the directive names is made 2.5 s later (a blocking reload over a slow GOP)
      expect(req.url).toContain('_HLS_msn=802');
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache' }).end(ll), PLAYLIST_DEADLINE_MS + 1500);
    };
    placement.holder = workers[0]!.hb;
    const t0 = Date.now();
    const res = await fetch(`${base}/ll.m3u8?token=t&_HLS_msn=802&_HLS_part=0`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ll);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(PLAYLIST_DEADLINE_MS + 1400);
    expect(placement.failed).toEqual([]);
    expect(placement.served).toEqual([]);
  });

  it('a reply read late because the gateway’s own event loop stalled past the deadline is not taken for a hung worker', async () => {
    // a worker in its own process (it answers while this one is stalled)
    const child = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end(${JSON.stringify(PLAYLIST(700, 3))})).listen(0, '${NET}.13', function () { console.log(this.address().port) })`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
      const real = new WorkerLink();
      linkOverride = {
        request: (...args: Parameters<WorkerLink['request']>) => {
          const req = real.request(...args);
          // once the request is on its way, this process stalls past the deadline (a long synchronous job)
          // (in the check phase: next come the timers, where the deadline has passed, and only then the reads)
          req.on('socket', (socket) => socket.once('connect', () => setImmediate(() => {
            const until = Date.now() + PLAYLIST_DEADLINE_MS + 300;
            while (Date.now() < until) {
              /* stalled */
            }
          })));
          return req;
        },
      } as unknown as WorkerLink;
      await start();
      placement.holder = { ...workers[0]!.hb, workerId: 'separate', baseUrl: `http://${NET}.13:${port}` };
      const res = await fetch(`${base}/index.m3u8?token=t`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(PLAYLIST(700, 3));
      expect(placement.failed).toEqual([]);
      real.onModuleDestroy();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a hung worker (connection accepted, no answer) is marked dead within the playlist deadline and the playlist comes from the new worker', async () => {
    await start();
    workers[0]!.handler = () => undefined; // SIGSTOPped: the kernel accepts, nobody answers
    workers[1]!.handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(PLAYLIST(900, 4));
    placement.holder = workers[0]!.hb;
    placement.next = workers[1]!.hb;
    placement.placeDelayMs = 300;
    const t0 = Date.now();
    const res = await fetch(`${base}/index.m3u8?token=t`, { signal: AbortSignal.timeout(8000) });
    const ms = Date.now() - t0;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PLAYLIST(900, 4));
    expect(placement.failed).toEqual([{ workerId: 'w1', reason: expect.stringContaining('ETG_NO_ANSWER'), code: 'ETG_NO_ANSWER' }]);
    expect(ms).toBeGreaterThanOrEqual(PLAYLIST_DEADLINE_MS - 50);
    expect(ms).toBeLessThan(PLAYLIST_DEADLINE_MS + 1500);
  });

  it('a busy worker that does not answer in time (its heartbeat said busy): 503 Retry-After for that request, the session stays, nothing is placed again', async () => {
    await start();
    workers[0]!.handler = () => undefined; // behind: it will answer, but not within the deadline
    placement.holder = workers[0]!.hb;
    placement.next = workers[1]!.hb;
    placement.verdict = 'slow';
    for (const file of ['index.m3u8', 'seg_901.ts']) {
      const t0 = Date.now();
      const res = await fetch(`${base}/${file}?token=t`, { signal: AbortSignal.timeout(8000) });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'the worker is busy, retry' });
      expect(Date.now() - t0).toBeLessThan(SEGMENT_DEADLINE_MS + 1000);
    }
    expect(placement.failed.map((f) => [f.workerId, f.code])).toEqual([['w1', 'ETG_NO_ANSWER'], ['w1', 'ETG_NO_ANSWER']]);
    expect(placement.ensured).toBe(0);
    expect(placement.holder?.workerId).toBe('w1');
  });

  it('a hung worker under a segment request: marked dead within the segment deadline, 503 Retry-After after the move', async () => {
    await start();
    workers[0]!.handler = () => undefined;
    workers[1]!.handler = (_req, res) => res.writeHead(404).end(); // the new worker never had the old timeline's file
    placement.holder = workers[0]!.hb;
    placement.next = workers[1]!.hb;
    const t0 = Date.now();
    const res = await fetch(`${base}/seg_901.ts?token=t`, { signal: AbortSignal.timeout(8000) });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(SEGMENT_DEADLINE_MS - 50);
    expect(Date.now() - t0).toBeLessThan(SEGMENT_DEADLINE_MS + 1500);
    expect(placement.failed.map((f) => f.workerId)).toEqual(['w1']);
  });

  it('a worker killed under a segment request: the request waits for the move and answers 503 Retry-After, never the new worker’s 404', async () => {
    await start();
    workers[0]!.handler = () => setTimeout(() => workers[0]!.resetAll(), 50);
    workers[1]!.handler = (_req, res) => res.writeHead(404).end();
    placement.holder = workers[0]!.hb;
    placement.next = workers[1]!.hb;
    placement.placeDelayMs = 800;
    const t0 = Date.now();
    const res = await fetch(`${base}/seg_901.ts?token=t`, { signal: AbortSignal.timeout(8000) });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(800); // answered once the session has its new worker
    expect(placement.failed.map((f) => f.workerId)).toEqual(['w1']);
  });

  it('answers each request once: a worker reply that arrives after the viewer was answered is dropped (was ERR_HTTP_HEADERS_SENT, an uncaught exception)', async () => {
    // The first request to the dying worker fails at the connection, the viewer gets the new worker's playlist,
    // and only then does the dying worker's reply surface (fault suite: gateway crash 3 s after ECONNRESET).
    const late: { deliver?: () => void } = {};
    const real = new WorkerLink();
    linkOverride = {
      request: (url: string, options: object, onResponse: (res: IncomingMessage) => void, ...rest: unknown[]) => {
        if (!url.startsWith(workers[0]!.hb.baseUrl)) return (real.request as (...a: unknown[]) => unknown)(url, options, onResponse, ...rest);
        const req = Object.assign(new EventEmitter(), { reusedSocket: false, destroy: () => undefined, end: () => setImmediate(() => req.emit('error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))) });
        late.deliver = () => {
          const up = Object.assign(new PassThrough(), { statusCode: 200, headers: { 'content-type': 'application/vnd.apple.mpegurl', 'content-length': '10' } });
          onResponse(up as unknown as IncomingMessage);
          up.end('#EXTM3U\n\n\n');
        };
        return req;
      },
    } as unknown as WorkerLink;
    await start();
    workers[1]!.handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(PLAYLIST(900, 4));
    placement.holder = workers[0]!.hb;
    placement.next = workers[1]!.hb;
    const res = await fetch(`${base}/index.m3u8?token=t`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PLAYLIST(900, 4));
    expect(() => late.deliver!()).not.toThrow();
    real.onModuleDestroy();
  });

  it('a reset on a reused keep-alive connection is tried once more on a new connection, not the pool, and the worker is not taken for dead', async () => {
    workers[0]!.handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(PLAYLIST(700, 2));
    const real = new WorkerLink();
    const agents: unknown[] = [];
    let stale = 2; // the pool's first two connections were closed by the worker while idle
    linkOverride = {
      request: (url: string, options: object, onResponse: (res: IncomingMessage) => void, agent?: unknown, ...rest: unknown[]) => {
        agents.push(agent);
        if (agent !== false && stale-- > 0) {
          const req = Object.assign(new EventEmitter(), { reusedSocket: true, destroy: () => undefined, end: () => setImmediate(() => req.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))) });
          return req;
        }
        return (real.request as (...a: unknown[]) => unknown)(url, options, onResponse, agent, ...rest);
      },
    } as unknown as WorkerLink;
    await start();
    placement.holder = workers[0]!.hb;
    const res = await fetch(`${base}/index.m3u8?token=t`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PLAYLIST(700, 2));
    expect(agents).toEqual([undefined, false]); // the pool, then a connection of its own
    expect(placement.failed).toEqual([]);
    real.onModuleDestroy();
  });
});
