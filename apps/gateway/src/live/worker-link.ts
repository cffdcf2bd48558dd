import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, ClientRequest, IncomingMessage, request, RequestOptions } from 'node:http';
import { hlsPathOf, LL_PLAYLIST_HOLD_MAX_MS, LL_PLAYLIST_NAME, type StreamKey } from '@tiergate/contracts';
import { CONNECT_TIMEOUT, isWorkerDown, NO_ANSWER } from './worker-liveness';

/**
 * A worker on the same network answers a TCP connect in well under a millisecond; one that has not
 * connected within this time is gone (its host dropped off, or drops packets).
 */
export const WORKER_CONNECT_TIMEOUT_MS = 1500;
/**
 * Response deadlines: a worker that is connected but sends no byte for this long is hung (error code
 * ETG_NO_ANSWER, counted as down). It serves from RAM on the same network, so an answer takes milliseconds:
 * a playlist is rendered in memory; a segment file streams without pause. Each second here is a second of
 * frozen video for the viewers of a hung worker (fault suite: 1.5 s gave a 3.3 s freeze).
 */
export const WORKER_IDLE_TIMEOUT_MS = 10_000;
export const PLAYLIST_DEADLINE_MS = 1000;
export const SEGMENT_DEADLINE_MS = 1500;
/**
 * An LL-HLS playlist request is held by the worker until the part it names exists (a blocking reload) or its
 * first segment does, for LL_PLAYLIST_HOLD_MAX_MS at most: a worker is hung only past that hold and a margin.
 */
export const LL_PLAYLIST_DEADLINE_MS = LL_PLAYLIST_HOLD_MAX_MS + 1000;

/**
 * Pure: how long a worker may take to start answering a request for one of a stream's files (a name the
 * stream contract accepts). LL-HLS parts and segments are held too, but for LL_PART_HOLD_MAX_MS, inside the
 * segment deadline.
 */
export function answerDeadlineOf(file: string): number {
  if (file === LL_PLAYLIST_NAME) return LL_PLAYLIST_DEADLINE_MS;
  return file.endsWith('.m3u8') ? PLAYLIST_DEADLINE_MS : SEGMENT_DEADLINE_MS;
}

/** Idle pooled connections to workers are closed after this long (below the worker server's 5 s keepAliveTimeout). */
export const POOL_IDLE_CLOSE_MS = 4000;

/** A probe is a tiny GET: a worker that connects but does not answer in this time is hung. */
const PROBE_TIMEOUT_MS = 3000;

export type PlaylistProbe = 'serving' | 'missing' | 'down';

/**
 * The gateway's HTTP side to transcoder workers (the one place that opens connections to them): the
 * keep-alive proxy requests of segment delivery, and the small probes placement uses to ask a worker
 * itself whether it is there, instead of trusting heartbeats that a broker outage can stop.
 */
@Injectable()
export class WorkerLink implements OnModuleDestroy {
  /**
   * The pool closes a connection idle for POOL_IDLE_CLOSE_MS, before the worker's server does (its
   * keepAliveTimeout, 5 s): a connection the worker closes first may be reused in that instant and reset. (Node 20's
   * agent does not act on the server's `Keep-Alive: timeout=5` hint unless it has a timeout of its own.)
   */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: POOL_IDLE_CLOSE_MS });

  onModuleDestroy(): void {
    this.agent.destroy();
  }

  /**
   * Starts a request on the keep-alive pool, with a connect deadline (error code ETG_CONNECT_TIMEOUT) on
   * top of the idle timeout. The caller ends it and handles 'error'.
   */
  request(url: string, options: RequestOptions, onResponse: (res: IncomingMessage) => void, agent: Agent | false = this.agent, idleTimeoutMs = WORKER_IDLE_TIMEOUT_MS): ClientRequest {
    const req = request(url, { ...options, agent, timeout: idleTimeoutMs }, onResponse);
    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no connection to ${new URL(url).host} within ${WORKER_CONNECT_TIMEOUT_MS} ms`), { code: CONNECT_TIMEOUT })), WORKER_CONNECT_TIMEOUT_MS);
      const clear = () => clearTimeout(timer);
      socket.once('connect', clear);
      socket.once('close', clear);
    });
    req.on('timeout', () => {
      // Timers run before pending socket reads: after a stall of this process's own event loop the deadline
      // can pass with the answer already waiting. Look once more after the reads (setImmediate runs after them).
      const socket = req.socket;
      const seen = socket?.bytesRead ?? 0;
      setImmediate(() => {
        if (req.destroyed || (socket && socket.bytesRead !== seen)) return;
        req.destroy(Object.assign(new Error(`no answer from ${new URL(url).host} within ${idleTimeoutMs} ms`), { code: NO_ANSWER }));
      });
    });
    return req;
  }

  /**
   * Whether something answers HTTP at the worker's address (any status counts: the worker's HLS server
   * answers 404 to a path it does not serve). A fresh connection, so a stale pooled one cannot mislead it.
   */
  reachable(baseUrl: string): Promise<boolean> {
    return this.unreachableBecause(baseUrl).then((code) => code === undefined);
  }

  /** Why the worker cannot be reached (the error code: refused, ETG_NO_ANSWER, …), undefined when it answers. */
  unreachableBecause(baseUrl: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const req = this.request(`${baseUrl}/hls/`, { method: 'GET' }, (res) => {
        res.resume();
        resolve(undefined);
      }, false, PROBE_TIMEOUT_MS);
      req.on('error', (e) => resolve(isWorkerDown(e) ? String((e as NodeJS.ErrnoException).code) : undefined));
      req.end();
    });
  }

  /** Whether the worker serves the session's playlist right now: 200 'serving', another status 'missing'. */
  async playlist(baseUrl: string, key: StreamKey, token: string): Promise<PlaylistProbe> {
    const status = await this.probe(`${baseUrl}${hlsPathOf(key)}?token=${encodeURIComponent(token)}`);
    return status === 'down' ? 'down' : status === 200 ? 'serving' : 'missing';
  }

  /** The status a GET answers, 'down' when the worker cannot be reached, 0 for any other failure. */
  private probe(url: string): Promise<number | 'down'> {
    return new Promise((resolve) => {
      const req = this.request(url, { method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }, false, PROBE_TIMEOUT_MS);
      req.on('error', (e) => resolve(isWorkerDown(e) ? 'down' : 0));
      req.end();
    });
  }
}
