import { Inject, Injectable, Logger, NestMiddleware, Optional } from '@nestjs/common';
import { Agent, request } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { StreamTokens } from '@tiergate/access';
import { LOCAL_HLS_SERVER, LocalHlsServer } from '@tiergate/contracts';
import { Histogram, register } from 'prom-client';
import { LiveService } from './live.service';
import { WorkerDirectory } from './worker.directory';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}\.(m3u8|ts|m4s|mp4)$/;
/** nginx's code for a request the client abandoned; only ever recorded in metrics. */
const CLIENT_CLOSED = 499;
const NOT_FOUND = JSON.stringify({ code: 'NOT_FOUND', message: 'stream not found' });

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
 * session. Bad, expired, foreign and missing all answer the same 404. When the holder has stopped
 * heart-beating, or no longer has the session, the session is placed again and the request retried once.
 */
@Injectable()
export class HlsProxyMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HlsProxy');
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });

  constructor(
    private readonly tokens: StreamTokens,
    private readonly live: LiveService,
    private readonly workers: WorkerDirectory,
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
    let workerId = this.live.holderOf(cameraId, profile);
    if (!workerId) workerId = await this.live.ensureSession(cameraId, profile);
    let status = await this.pipe(req, res, workerId, playlist);
    if (status === 404 && playlist) {
      // The worker closed the idle session or restarted: start it again for this viewer.
      workerId = await this.live.ensureSession(cameraId, profile);
      status = await this.pipe(req, res, workerId, false);
    }
    return status;
  }

  /** Streams the worker's answer; for a retriable playlist 404 returns without writing. */
  private pipe(req: Request, res: Response, workerId: string, holdBack404: boolean): Promise<number> {
    const worker = this.workers.get(workerId);
    if (!worker) return Promise.reject(new Error(`worker ${workerId} unknown`));
    return new Promise((resolve, reject) => {
      const upstream = request(`${worker.baseUrl}${req.originalUrl}`, { method: req.method, agent: this.agent, timeout: 10_000 }, (up) => {
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
      upstream.on('timeout', () => upstream.destroy(new Error('worker timed out')));
      // A viewer that goes away mid-request (a tile closed, a player seeking) is normal, not a failure.
      upstream.on('error', (e) => (viewerLeft ? resolve(CLIENT_CLOSED) : reject(e)));
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
