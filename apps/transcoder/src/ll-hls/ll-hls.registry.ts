import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamKeyId } from '@tiergate/contracts';
import type { FragmentFeed } from '@tiergate/media';
import type { Clock, TimerHandle } from '../clock';
import { parseLlHlsFile } from './ll-hls-names';
import { LL_HLS_DEFAULTS, LlHlsPackager, type LlHlsAnswer, type LlHlsPackagerOptions } from './ll-hls-packager';

/** What the registry needs from the worker. */
export interface LlHlsSessions {
  /** The fragment feed of a starting or ready session, undefined when none (or its fMP4 output is off). */
  feedOf(cameraId: string, profile: string): FragmentFeed | undefined;
  /** Records a viewer request; false when no running session exists. */
  touch(cameraId: string, profile: string): boolean;
}

export interface LlHlsRegistryOptions {
  sessions: LlHlsSessions;
  clock: Clock;
  packager?: Partial<LlHlsPackagerOptions>;
  /** A packager without an LL-HLS request for this long is dropped (a later viewer makes a new one). */
  idleMs?: number;
}

/**
 * One minute: a session's packager keeps about six segments (one to a few MB of a main stream) whether or not
 * anyone plays LL-HLS; sessions watched over MSE or classic HLS only give that memory back after this.
 */
export const LL_HLS_IDLE_MS = 60_000;

/** A request the registry may answer: an authorized GET/HEAD of one stream's file (hls-http.server.ts). */
export interface LlHlsRef {
  cameraId: string;
  profile: string;
  file: string;
}

interface Entry {
  feed: FragmentFeed;
  packager: LlHlsPackager;
  unsubscribe: () => void;
  lastRequestAt: number;
}

/**
 * The LL-HLS of a worker: one packager per session feed, made when the session's feed appears (attach) or
 * else on the first LL-HLS request of the session, and dropped when its feed ends (the session closed) or
 * the session's feed is another one (a new session), or after idleMs without an LL-HLS request. A packager made on a request starts from the feed's GOP
 * cache, a segment in the making: that first playlist waits for the next keyframe (one GOP at most).
 * Answers the LL-HLS files of the worker's HTTP server; everything else is left to it (classic HLS).
 */
export class LlHlsRegistry {
  private readonly entries = new Map<string, Entry>();
  private sweepTimer: TimerHandle | undefined;

  constructor(private readonly options: LlHlsRegistryOptions) {}

  /** Packagers alive (sessions with LL-HLS viewers). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Serves an authorized request when it names an LL-HLS file (true), else leaves it (false). No session, no
   * feed and anything refused answer the server's one 404.
   */
  async handle(req: IncomingMessage, res: ServerResponse, ref: LlHlsRef): Promise<boolean> {
    if (!parseLlHlsFile(ref.file)) return false;
    const packager = this.options.sessions.touch(ref.cameraId, ref.profile) ? this.packagerOf(ref.cameraId, ref.profile, true) : undefined;
    if (!packager) {
      writeAnswer(res, req.method, { status: 404, reason: 'no such stream' });
      return true;
    }
    const abandoned = new AbortController();
    const onClose = () => abandoned.abort();
    res.once('close', onClose);
    try {
      const answer = await packager.request(ref.file, req.url, abandoned.signal);
      if (!abandoned.signal.aborted) writeAnswer(res, req.method, answer);
    } finally {
      res.off('close', onClose);
    }
    return true;
  }

  /**
   * Starts packaging a session's feed now (its first LL-HLS viewer then finds complete segments); a no-op when
   * the session has no feed or is packaged already. Called when a session with a feed starts.
   */
  attach(cameraId: string, profile: string): void {
    this.packagerOf(cameraId, profile, false);
  }

  /** Ends every packager (worker shutdown): held requests are answered 404. */
  close(): void {
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
    for (const [key, entry] of this.entries) this.drop(key, entry, 'worker shutdown');
  }

  private packagerOf(cameraId: string, profile: string, requested: boolean): LlHlsPackager | undefined {
    const key = streamKeyId({ cameraId, profile });
    const feed = this.options.sessions.feedOf(cameraId, profile);
    const known = this.entries.get(key);
    if (known && known.feed === feed) {
      if (requested) known.lastRequestAt = this.options.clock.now();
      return known.packager;
    }
    if (known) this.drop(key, known, 'the session has another feed');
    if (!feed) return undefined;
    const options = { ...LL_HLS_DEFAULTS, firstMsn: firstMsnAt(this.options.clock.now()), ...this.options.packager };
    const packager = new LlHlsPackager(this.options.clock, options, () => {
      const current = this.entries.get(key);
      if (current?.packager === packager) {
        this.entries.delete(key);
        current.unsubscribe();
      }
    });
    // subscribe() replays the init and the GOP cache synchronously, so the packager starts at a keyframe
    const entry: Entry = { feed, packager, unsubscribe: () => undefined, lastRequestAt: this.options.clock.now() };
    this.entries.set(key, entry);
    entry.unsubscribe = feed.subscribe(packager);
    this.scheduleSweep();
    return this.entries.get(key) === entry ? packager : undefined;
  }

  /** While packagers exist, drops those without a request for idleMs, checked every idleMs / 2. */
  private scheduleSweep(): void {
    if (this.sweepTimer) return;
    const idleMs = this.options.idleMs ?? LL_HLS_IDLE_MS;
    this.sweepTimer = this.options.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      const now = this.options.clock.now();
      for (const [key, entry] of this.entries) if (now - entry.lastRequestAt >= idleMs && entry.packager.held === 0) this.drop(key, entry, 'no LL-HLS viewer');
      if (this.entries.size > 0) this.scheduleSweep();
    }, idleMs / 2);
  }

  private drop(key: string, entry: Entry, reason: string): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
    entry.unsubscribe();
    entry.packager.end(reason);
  }
}

/**
 * The first media sequence number of a new packager: the wall clock in seconds. Segments last at least the
 * one-second target, so a later packager of the same stream (a new session, another worker) starts above
 * every number an earlier one gave out in all but pathological runs: names seen by players and caches are
 * not reused for other video, and a player's next `_HLS_msn` stays near the new numbering.
 */
export const firstMsnAt = (nowMs: number): number => Math.floor(nowMs / 1000);

const JSON_BODIES: Record<400 | 404 | 503, string> = {
  400: JSON.stringify({ code: 'VALIDATION_FAILED', message: 'bad LL-HLS delivery directive' }),
  // byte for byte the HLS server's 404: refused, missing and ended look the same
  404: JSON.stringify({ code: 'NOT_FOUND', message: 'not found' }),
  503: JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'not available yet, retry' }),
};

/** Writes one answer: a 200 with its body (none for HEAD), or the JSON error of its status (404 as the server's). */
function writeAnswer(res: ServerResponse, method: string | undefined, answer: LlHlsAnswer): void {
  if (res.headersSent || res.destroyed) return;
  if (answer.status === 200) {
    res.writeHead(200, {
      'Content-Type': answer.contentType,
      'Content-Length': answer.body.length,
      'Cache-Control': answer.cacheControl,
      'Access-Control-Allow-Origin': '*',
    });
    return void res.end(method === 'HEAD' ? undefined : answer.body);
  }
  const body = JSON_BODIES[answer.status];
  res.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...(answer.status === 404 ? {} : { 'Access-Control-Allow-Origin': '*' }),
    ...(answer.status === 503 ? { 'Retry-After': '1' } : {}),
  });
  res.end(body);
}
