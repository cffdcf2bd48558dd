import { Inject, Injectable, Logger, NestMiddleware, Optional } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { StreamTokens } from '@tiergate/access';
import { LOCAL_HLS_SERVER, LocalHlsServer } from '@tiergate/contracts';
import { Histogram, register } from 'prom-client';
import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import { StreamPlacement } from './stream-placement.service';
import { WorkerDirectory } from './worker.directory';
import { WorkerLink } from './worker-link';
import { isWorkerDown } from './worker-liveness';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}\.(m3u8|ts|m4s|mp4)$/;
/** nginx's code for a request the client abandoned; only ever recorded in metrics. */
const CLIENT_CLOSED = 499;
const NOT_FOUND = JSON.stringify({ code: 'NOT_FOUND', message: 'stream not found' });
const MOVING = JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'the stream is moving to another worker, retry' });

const deliveries = new Histogram({
  name: 'tiergate_hls_delivery_seconds',
  help: 'Gateway HLS requests (playlist/segment) by outcome',
  labelNames: ['kind', 'status'],
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [register],
});

/**
 * Video delivery on the hot path: GET /hls/<cameraId>/<profile>/<file>?token=…
 * One HMAC check of the stream token (no database), then a keep-alive proxy to the worker holding the
 * session. Bad, expired, foreign and missing all answer the same 404.
 * - The holder is used while it answers, whatever its heartbeat says (a broker outage does not stop video).
 * - A holder that no longer has the session (404 on the playlist) gets it placed again, request retried once.
 * - A holder that refuses, resets or cannot be connected to is marked dead at once and its watched
 *   sessions move. A playlist request is placed again and answered from the new worker in the same
 *   request; a segment request (its file exists only on the dead worker) answers 503 with Retry-After,
 *   which hls.js retries, by then from the new worker's playlist.
 */
@Injectable()
export class HlsProxyMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HlsProxy');

  constructor(
    private readonly tokens: StreamTokens,
    private readonly placement: StreamPlacement,
    private readonly workers: WorkerDirectory,
    private readonly link: WorkerLink,
    @Optional() @Inject(LOCAL_HLS_SERVER) private readonly local?: LocalHlsServer,
  ) {}

  use(req: Request, res: Response, _next: NextFunction): void {
    const started = process.hrtime.bigint();
    // originalUrl, not path/url: those depend on how the middleware was mounted.
    const q = req.originalUrl.indexOf('?');
    const path = (q < 0 ? req.originalUrl : req.originalUrl.slice(0, q)).replace(/^\/hls(?=\/)/, '');
    const parts = path.split('/'); // '', cameraId, profile, file
    const [, cameraId, profile, file] = parts;
    const kind = file?.endsWith('.m3u8') ? 'playlist' : 'segment';
    const done = (status: number) => deliveries.observe({ kind, status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || parts.length !== 4 || !ID.test(cameraId) || (profile !== 'main' && profile !== 'sub') || !FILE.test(file)) {
      res.status(404).type('application/json').end(NOT_FOUND);
      return done(404);
    }
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!this.tokens.allows(token, cameraId, profile)) {
      res.status(404).type('application/json').end(NOT_FOUND);
      return done(404);
    }
    void this.forward(req, res, cameraId, profile, kind === 'playlist').then(done, (e) => {
      this.logger.warn(`delivery of ${cameraId}/${profile} failed: ${(e as Error).message}`);
      if (!res.headersSent) res.status(502).type('application/json').end(JSON.stringify({ code: 'CAMERA_UNREACHABLE', message: 'stream unavailable, retry' }));
      else res.destroy();
      done(502);
    });
  }

  private async forward(req: Request, res: Response, cameraId: string, profile: 'main' | 'sub', playlist: boolean): Promise<number> {
    if (this.local?.holds(cameraId, profile)) {
      // The session runs in this very process: its worker answers directly, no loopback HTTP hop.
      req.url = req.originalUrl;
      await this.local.serve(req, res);
      return res.statusCode;
    }
    let worker = this.placement.holderFor(cameraId, profile) ?? (await this.place(cameraId, profile));
    let status = await this.pipe(req, res, worker, playlist);
    if (status === 'down' && !playlist) {
      // Only the dead worker had this segment; the session is already being placed again.
      res.status(503).set({ 'Retry-After': '1', 'Cache-Control': 'no-store' }).type('application/json').end(MOVING);
      return 503;
    }
    if (status === 'down' || status === 404) {
      // The worker died, or closed the idle session / restarted: place it again for this viewer, who
      // gets the new worker's playlist in this same request.
      worker = await this.place(cameraId, profile);
      status = await this.pipe(req, res, worker, false);
      if (status === 'down') throw new Error(`worker ${worker.workerId} is unreachable too`);
    }
    return status;
  }

  private async place(cameraId: string, profile: 'main' | 'sub'): Promise<WorkerHeartbeatMessage> {
    const workerId = await this.placement.ensureSession(cameraId, profile);
    const worker = this.workers.get(workerId);
    if (!worker) throw new Error(`worker ${workerId} unknown`);
    return worker;
  }

  /**
   * Streams the worker's answer. Returns without writing for a retriable playlist 404, and 'down' (the
   * worker marked dead, nothing written) when the worker cannot be reached.
   */
  private pipe(req: Request, res: Response, worker: WorkerHeartbeatMessage, holdBack404: boolean, fresh = false): Promise<number | 'down'> {
    return new Promise<number | 'down'>((resolve, reject) => {
      let answered = false;
      const upstream = this.link.request(`${worker.baseUrl}${req.originalUrl}`, { method: req.method }, (up) => {
        answered = true;
        const status = up.statusCode ?? 502;
        if (status === 404 && holdBack404) {
          up.resume();
          return resolve(404);
        }
        res.status(status);
        for (const h of ['content-type', 'content-length', 'cache-control']) {
          const v = up.headers[h];
          if (v !== undefined) res.setHeader(h, v);
        }
        up.pipe(res);
        up.on('end', () => resolve(status));
        up.on('error', reject);
      });
      let viewerLeft = false;
      upstream.on('error', (e) => {
        // A viewer that goes away mid-request (a tile closed, a player seeking) is normal, not a failure.
        if (viewerLeft) return resolve(CLIENT_CLOSED);
        if (answered || !isWorkerDown(e)) return reject(e);
        // A pooled keep-alive connection the worker closed just as it was reused: retry once on a new one.
        if (upstream.reusedSocket && !fresh && (e as NodeJS.ErrnoException).code === 'ECONNRESET') {
          return this.pipe(req, res, worker, holdBack404, true).then(resolve, reject);
        }
        this.placement.workerFailed(worker.workerId, `${(e as NodeJS.ErrnoException).code} on ${req.method} ${req.originalUrl.split('?')[0]}`);
        resolve('down');
      });
      res.on('close', () => {
        if (!res.writableEnded) {
          viewerLeft = true;
          upstream.destroy();
        }
      });
      upstream.end();
    });
  }
}
