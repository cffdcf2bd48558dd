import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MSE_CLOSE, parseMsePath, type StreamKey } from '@tiergate/contracts';
import type { FragmentFeed, Fmp4Fragment, Fmp4Init } from '@tiergate/media';
import type { TranscoderMetrics } from './transcoder.metrics';

/** Whether a stream token may read a camera's stream now (libs/access StreamTokens.allows: signature, expiry, grant). */
export type TokenCheck = (token: string | undefined, cameraId: string, profile: string) => boolean;

/** What the MSE server needs from the worker. */
export interface MseSource {
  feedOf(cameraId: string, profile: string): FragmentFeed | undefined;
  touch(cameraId: string, profile: string): boolean;
}

export interface MseWebSocketOptions {
  source: MseSource;
  /** Deny-by-default: without it every upgrade answers 404. */
  allows?: TokenCheck;
  metrics?: TranscoderMetrics;
  workerId?: string;
  /** How often the current token is checked again (expiry, revoked grant). Default 1000 ms. */
  recheckMs?: number;
  /** Bytes a viewer's socket may hold unsent before fragments are skipped to the next keyframe. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** A viewer over the cap this long is closed 4408. Default 5000 ms. */
  slowCloseMs?: number;
  /** Largest message a viewer may send (a renew is ~300 bytes). Default 4 KiB. */
  maxPayloadBytes?: number;
  now?: () => number;
}

/** The stream token of an upgrade: `?token=` (the same query parameter the HLS URLs carry). */
export function queryToken(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  return q < 0 ? undefined : new URLSearchParams(url!.slice(q + 1)).get('token') ?? undefined;
}

const NOT_FOUND_BODY = JSON.stringify({ code: 'NOT_FOUND', message: 'not found' });
const NOT_FOUND = `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(NOT_FOUND_BODY)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${NOT_FOUND_BODY}`;

/**
 * The MSE WebSocket of a worker's sessions (`/live/<cameraId>/<profile>/mse?token=…`; protocol in
 * libs/contracts stream-key.ts and docs/live-low-latency.md). Denied, malformed and missing all answer the
 * same HTTP 404 before any upgrade. A connected viewer gets the init (text, then binary), the GOP cache and
 * then every fragment; its token is checked again every second and may be renewed; it keeps the session open
 * while connected. A viewer that cannot keep up skips to the next keyframe, and is closed 4408 after 5 s behind.
 */
export class MseWebSocketServer {
  private readonly wss: WebSocketServer;
  private readonly viewers = new Set<MseViewer>();

  constructor(private readonly options: MseWebSocketOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 4096, perMessageDeflate: false, clientTracking: false });
  }

  /** Viewers connected now. */
  get size(): number {
    return this.viewers.size;
  }

  /** Whether an upgrade URL is an MSE path (anything else is not this server's). */
  static handles(url: string | undefined): boolean {
    return parseMsePath(url) !== undefined;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const key = parseMsePath(req.url);
    const token = queryToken(req.url);
    const allows = this.options.allows;
    const feed = key && allows?.(token, key.cameraId, key.profile) === true && req.method === 'GET' ? this.options.source.feedOf(key.cameraId, key.profile) : undefined;
    if (!key || !allows || !feed) {
      socket.end(NOT_FOUND);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const viewer = new MseViewer(ws, key, token!, feed, this.options, () => this.viewers.delete(viewer));
      this.viewers.add(viewer);
    });
  }

  /** Closes every viewer (1001) and the server. */
  close(): void {
    for (const v of [...this.viewers]) v.close(MSE_CLOSE.sessionClosed, 'worker stopping');
    this.wss.close();
  }
}

/** One connected viewer of one stream. */
class MseViewer {
  private token: string;
  private sentGeneration: number | undefined;
  /** Skipping fragments until the next keyframe (joined before one, or fell behind). */
  private waitForKeyframe = true;
  private overCapSince: number | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private closed = false;
  private readonly maxBuffered: number;
  private readonly slowCloseMs: number;
  private readonly now: () => number;
  private readonly labels: { worker: string };

  constructor(
    private readonly ws: WebSocket,
    private readonly key: StreamKey,
    token: string,
    feed: FragmentFeed,
    private readonly options: MseWebSocketOptions,
    private readonly onGone: () => void,
  ) {
    this.token = token;
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.slowCloseMs = options.slowCloseMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.labels = { worker: options.workerId ?? '' };
    options.metrics?.mseViewers.inc(this.labels);
    options.source.touch(key.cameraId, key.profile);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('error', () => undefined); // 'close' follows
    ws.on('close', () => this.gone());
    this.timer = setInterval(() => this.tick(), options.recheckMs ?? 1000);
    this.unsubscribe = feed.subscribe({
      init: (init) => this.sendInit(init),
      fragment: (f) => this.sendFragment(f),
      end: () => this.close(MSE_CLOSE.sessionClosed, 'session closed'),
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, reason);
    this.gone();
    // a peer that never answers the close handshake is cut off after a while by ws itself (30 s); do it sooner
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private gone(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.options.metrics?.mseViewers.dec(this.labels);
    this.onGone();
  }

  private sendInit(init: Fmp4Init): void {
    if (this.closed) return;
    this.sentGeneration = init.generation;
    this.waitForKeyframe = true;
    this.ws.send(JSON.stringify({ type: 'init', codec: init.codec, generation: init.generation }));
    this.ws.send(init.data, { binary: true });
  }

  private sendFragment(f: Fmp4Fragment): void {
    if (this.closed || f.generation !== this.sentGeneration) return;
    if (this.ws.bufferedAmount > this.maxBuffered) {
      this.overCapSince ??= this.now();
      this.waitForKeyframe = true;
      this.options.metrics?.mseSlowDrops.inc(this.labels);
      return this.closeIfTooSlow();
    }
    this.overCapSince = undefined;
    if (this.waitForKeyframe && !f.keyframe) return;
    this.waitForKeyframe = false;
    this.ws.send(f.data, { binary: true });
    this.options.metrics?.mseFragmentsSent.inc(this.labels);
  }

  private closeIfTooSlow(): void {
    if (this.overCapSince !== undefined && this.now() - this.overCapSince > this.slowCloseMs) this.close(MSE_CLOSE.tooSlow, 'viewer too slow');
  }

  private tick(): void {
    if (this.closed) return;
    if (this.options.allows?.(this.token, this.key.cameraId, this.key.profile) !== true) return this.close(MSE_CLOSE.tokenRefused, 'token expired or refused');
    if (this.overCapSince !== undefined && this.ws.bufferedAmount <= this.maxBuffered) this.overCapSince = undefined;
    this.closeIfTooSlow();
    this.options.source.touch(this.key.cameraId, this.key.profile);
  }

  /** `{"type":"renew","token":"…"}` replaces the token; one not allowed for this stream closes 4401. Anything else is ignored. */
  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary || this.closed) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'renew') return;
    const token = (message as { token?: unknown }).token;
    if (typeof token !== 'string' || this.options.allows?.(token, this.key.cameraId, this.key.profile) !== true) return this.close(MSE_CLOSE.tokenRefused, 'renewal refused');
    this.token = token;
  }
}
