import { Inject, Injectable, Logger, NestMiddleware, Optional } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { StreamTokens } from '@tiergate/access';
import { LOCAL_HLS_SERVER, LocalHlsServer, parseHlsPath, type StreamProfile } from '@tiergate/contracts';
import { isUuid } from '@tiergate/domain';
import { Histogram, register } from 'prom-client';
import type { WorkerHeartbeatMessage } from '@tiergate/contracts';
import { StreamPlacement } from './stream-placement.service';
import { WorkerDirectory } from './worker.directory';
import { carriesContinuity, newestSegmentOf } from './stream-continuity';
import { answerDeadlineOf, WorkerLink } from './worker-link';
import { isWorkerDown } from './worker-liveness';

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

/** A worker playlist larger than this is not a playlist (a few hundred bytes per segment listed). */
const MAX_PLAYLIST_BYTES = 1 << 20;
/** A segment request of a worker found dead waits this long at most for the session's new placement. */
const MOVE_WAIT_MS = 6000;
/** Headers passed on from the worker's answer. */
const PASSED_HEADERS = ['content-type', 'content-length', 'cache-control'] as const;

const BUSY = JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'the worker is busy, retry' });

/** An answer's status; 'down': the worker was found dead; 'slow': a busy worker did not answer in time (it stays). */
type PipeOutcome = number | 'down' | 'slow';

/**
 * Video delivery on the hot path: GET /hls/<cameraId>/<profile>/<file>?token=…
 * One HMAC check of the stream token (no database), then a keep-alive proxy to the worker holding the
 * session. Bad, expired, foreign and missing all answer the same 404.
 * - The holder is used while it answers, whatever its heartbeat says (a broker outage does not stop video).
 * - A holder that no longer has the session (404 on the playlist) gets it placed again, request retried once.
 * - A holder that refuses, resets, cannot be connected to, or does not answer within the response deadline
 *   (playlist 1 s, segment 1.5 s without a byte, an LL-HLS playlist its hold + 1 s: a hung worker) is marked dead at once and its watched
 *   sessions move; one whose last heartbeat (within a period) said it was busy and that only answered late keeps
 *   its sessions, and that request is answered 503 Retry-After (worker-liveness.ts failureVerdict). A playlist request is placed again and answered from the new worker in the same
 *   request; a segment request (its file exists only on the dead worker) waits for the move and answers
 *   503 with Retry-After, which hls.js retries, by then from the new worker's playlist.
 * - Every playlist served is read whole (it is small) and the classic one's newest segment remembered, so that a
 *   new worker continues the timeline the viewers know (stream-continuity.ts).
 * - Each request is answered once: the status and headers go out in one writeHead, and an answer that comes
 *   after another was given (a late worker reply) is dropped.
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
    const ref = parseHlsPath(req.originalUrl);
    const kind = ref?.file.endsWith('.m3u8') ? 'playlist' : 'segment';
    const done = (status: number) => deliveries.observe({ kind, status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
    // The stream contract's path rule; the gateway's cameras are also rows, so their ids are UUIDs.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !ref || !isUuid(ref.cameraId)) {
      res.status(404).type('application/json').end(NOT_FOUND);
      return done(404);
    }
    const { cameraId, profile } = ref;
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!this.tokens.allows(token, cameraId, profile)) {
      res.status(404).type('application/json').end(NOT_FOUND);
      return done(404);
    }
    void this.forward(req, res, cameraId, profile, kind === 'playlist').then(done, (e) => {
      this.logger.warn(`delivery of ${cameraId}/${profile} failed: ${(e as Error).message}`);
      if (canAnswer(res)) res.status(502).type('application/json').end(JSON.stringify({ code: 'CAMERA_UNREACHABLE', message: 'stream unavailable, retry' }));
      else if (!res.writableEnded) res.destroy();
      done(502);
    });
  }

  private async forward(req: Request, res: Response, cameraId: string, profile: StreamProfile, playlist: boolean): Promise<number> {
    if (this.local?.holds(cameraId, profile)) {
      // The session runs in this very process: its worker answers directly, no loopback HTTP hop.
      req.url = req.originalUrl;
      await this.local.serve(req, res);
      return res.statusCode;
    }
    const holder = this.placement.holderFor(cameraId, profile);
    if (!playlist) return this.forwardSegment(req, res, cameraId, profile, holder);
    let worker = holder ?? (await this.place(cameraId, profile));
    let status = await this.pipe(req, res, worker, { playlist, holdBack404: true }, cameraId, profile);
    if (status === 'slow') return this.busy(res);
    if (status === 'down' || status === 404) {
      // The worker died or hangs, or closed the idle session / restarted: place it again for this viewer,
      // who gets the new worker's playlist in this same request.
      worker = await this.place(cameraId, profile);
      status = await this.pipe(req, res, worker, { playlist, holdBack404: false }, cameraId, profile);
      if (status === 'slow') return this.busy(res);
      if (status === 'down') throw new Error(`worker ${worker.workerId} is unreachable too`);
    }
    return status;
  }

  /**
   * A segment exists only on the worker that made it. From a live holder it is passed on as it is; when that
   * worker is found dead now, or was (the session is being placed again), the request waits for the new
   * placement and answers 503 Retry-After (never the new worker's 404 for a name of the old timeline, which
   * hls.js would not retry).
   */
  private async forwardSegment(req: Request, res: Response, cameraId: string, profile: StreamProfile, holder: WorkerHeartbeatMessage | undefined): Promise<number> {
    if (holder) {
      const status = await this.pipe(req, res, holder, { playlist: false, holdBack404: false }, cameraId, profile);
      if (status === 'slow') return this.busy(res);
      if (status !== 'down') return status;
    }
    const moved = await this.placeWithin(cameraId, profile, MOVE_WAIT_MS);
    if (moved && (!holder || moved.workerId !== holder.workerId)) {
      const status = await this.pipe(req, res, moved, { playlist: false, holdBack404: true }, cameraId, profile);
      if (status === 'slow') return this.busy(res);
      if (status !== 'down' && status !== 404) return status;
    }
    return this.moving(res);
  }

  /** A busy worker did not answer in time: 503 with Retry-After, which hls.js retries; the session stays where it is. */
  private busy(res: Response): number {
    return retryLater(res, BUSY);
  }

  private moving(res: Response): number {
    return retryLater(res, MOVING);
  }

  private async place(cameraId: string, profile: StreamProfile): Promise<WorkerHeartbeatMessage> {
    const workerId = await this.placement.ensureSession(cameraId, profile);
    const worker = this.workers.get(workerId);
    if (!worker) throw new Error(`worker ${workerId} unknown`);
    return worker;
  }

  /** The session's new worker, if the (shared) placement finishes within `ms`; undefined when it fails or takes longer. */
  private placeWithin(cameraId: string, profile: StreamProfile, ms: number): Promise<WorkerHeartbeatMessage | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
    return Promise.race([this.place(cameraId, profile).catch(() => undefined), late]).finally(() => clearTimeout(timer));
  }

  /**
   * Passes on the worker's answer. Returns without writing for a held-back 404, and 'down' (the worker marked
   * dead, nothing written) when the worker cannot be reached or does not answer within the deadline. A
   * playlist is read whole, its newest segment recorded for continuity, then sent in one piece.
   */
  private pipe(req: Request, res: Response, worker: WorkerHeartbeatMessage, opts: { playlist: boolean; holdBack404: boolean }, cameraId: string, profile: StreamProfile, fresh = false): Promise<PipeOutcome> {
    return new Promise<PipeOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: PipeOutcome | Error) => {
        if (settled) return;
        settled = true;
        res.off('close', onViewerClose);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      let answered = false;
      const file = parseHlsPath(req.originalUrl)?.file ?? '';
      const deadlineMs = answerDeadlineOf(file);
      const upstream = this.link.request(`${worker.baseUrl}${req.originalUrl}`, { method: req.method }, (up) => {
        if (settled || !canAnswer(res)) {
          // answered already (or the viewer left): a late reply is dropped, never written a second time
          up.resume();
          upstream.destroy();
          return finish(CLIENT_CLOSED);
        }
        answered = true;
        const status = up.statusCode ?? 502;
        if (status === 404 && opts.holdBack404) {
          up.resume();
          return finish(404);
        }
        const headers: Record<string, string | string[]> = {};
        for (const h of PASSED_HEADERS) {
          const v = up.headers[h];
          if (v !== undefined) headers[h] = v;
        }
        up.on('error', (e) => finish(e));
        up.on('aborted', () => finish(Object.assign(new Error(`worker ${worker.workerId} broke off its answer`), { code: 'ECONNRESET' })));
        if (opts.playlist && status === 200 && req.method === 'GET') {
          const chunks: Buffer[] = [];
          let size = 0;
          up.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_PLAYLIST_BYTES) return void upstream.destroy(new Error(`worker ${worker.workerId} sent a playlist over ${MAX_PLAYLIST_BYTES} bytes`));
            chunks.push(c);
          });
          up.on('end', () => {
            if (settled) return;
            const body = Buffer.concat(chunks);
            const newest = carriesContinuity(file) ? newestSegmentOf(body.toString('utf8')) : undefined;
            if (newest) this.placement.served(cameraId, profile, newest);
            if (!canAnswer(res)) return finish(CLIENT_CLOSED);
            res.writeHead(status, { ...headers, 'content-length': String(body.length) }).end(body);
            finish(status);
          });
          return;
        }
        res.writeHead(status, headers);
        up.pipe(res);
        up.on('end', () => finish(status));
      }, fresh ? false : undefined, deadlineMs);
      let viewerLeft = false;
      const onViewerClose = () => {
        if (!res.writableEnded) {
          viewerLeft = true;
          upstream.destroy();
        }
      };
      res.on('close', onViewerClose);
      upstream.on('error', (e) => {
        if (settled) return;
        // A viewer that goes away mid-request (a tile closed, a player seeking) is normal, not a failure.
        if (viewerLeft) return finish(CLIENT_CLOSED);
        if (!isWorkerDown(e)) return finish(e);
        // A pooled keep-alive connection the worker closed just as it was reused: retry once on a new one (not
        // from the pool: when the worker closed several idle connections at once, the pool's next one is as stale;
        // bench:district saw a healthy worker taken for dead that way, and all its viewers stalled while it moved).
        if (!answered && upstream.reusedSocket && !fresh && (e as NodeJS.ErrnoException).code === 'ECONNRESET') {
          settled = true;
          res.off('close', onViewerClose);
          return void this.pipe(req, res, worker, opts, cameraId, profile, true).then(resolve, reject);
        }
        const code = (e as NodeJS.ErrnoException).code;
        const verdict = this.placement.workerFailed(worker.workerId, `${code} on ${req.method} ${req.originalUrl.split('?')[0]}${answered ? ' (mid-answer)' : ''}`, code);
        if (res.headersSent) return finish(e); // part of the answer went out: only the connection can be closed
        finish(verdict === 'slow' ? 'slow' : 'down');
      });
      upstream.end();
    });
  }
}

/** 503 with Retry-After: 1, which hls.js retries (unless the viewer was answered or left already). */
function retryLater(res: Response, body: string): number {
  if (canAnswer(res)) res.status(503).set({ 'Retry-After': '1', 'Cache-Control': 'no-store' }).type('application/json').end(body);
  return 503;
}

/** Nothing was answered yet and the viewer is still there. */
function canAnswer(res: Response): boolean {
  return !res.headersSent && !res.writableEnded && !res.destroyed;
}
