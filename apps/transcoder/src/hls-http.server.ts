import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { hlsContentTypeOf, parseHlsPath as parseStreamPath, PLAYLIST_NAME, type StreamProfile } from '@tiergate/contracts';

/** Decides whether a request may read a camera's stream (token check lives in libs/access). */
export type AuthorizeHook = (req: IncomingMessage, cameraId: string, profile: string) => boolean | Promise<boolean>;

/** What the HLS server needs from the worker. */
export interface HlsSource {
  outputDirOf(cameraId: string, profile: string): string | undefined;
  touch(cameraId: string, profile: string): boolean;
  /**
   * The playlist to serve for a session, given ffmpeg's playlist as on disk (undefined when missing): the
   * worker's continuous timeline across ffmpeg restarts. Without it the file is served as it is.
   */
  playlist?(cameraId: string, profile: string, ffmpegPlaylist: string | undefined): string | undefined;
}

export interface HlsHttpServerOptions {
  source: HlsSource;
  /** Deny-by-default: without a hook every request answers 404. */
  authorize?: AuthorizeHook;
  /**
   * LL-HLS (issue 13, ll-hls/ll-hls.registry.ts): answers an authorized request for an LL-HLS file from memory
   * and returns true; false for any other file (served from the output directory as before).
   */
  llHls?: { handle(req: IncomingMessage, res: ServerResponse, ref: ParsedHlsPath): Promise<boolean> };
  /**
   * Static-media mode (docs/delivery.md, static-media/static-media.links.ts): the classic playlist's segment URIs
   * become signed links to the nginx in front of the output directory; undefined from it: served as before.
   */
  segmentLinks?: { rewrite(playlist: string, dir: string): string | undefined };
  /** Recorded media (issue 14, recording/vod-host.ts): answers /vod/… and /exports/… and returns true; false for any other path. */
  recorded?: { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> };
  host?: string;
  port?: number;
  /** HTTP upgrades (the MSE WebSocket, issue 13); without it every upgrade is refused. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface ParsedHlsPath {
  cameraId: string;
  profile: StreamProfile;
  file: string;
  contentType: string;
}

/** Pure: validates /hls/<cameraId>/<profile>/<file> (the stream contract's rule); undefined for anything else (answered 404). */
export function parseHlsPath(url: string | undefined): ParsedHlsPath | undefined {
  const ref = parseStreamPath(url);
  const contentType = ref && hlsContentTypeOf(ref.file);
  return ref && contentType ? { ...ref, contentType } : undefined;
}

/**
 * The worker's own small HTTP server for its HLS output: GET/HEAD /hls/<cameraId>/<profile>/<file>.
 * Denied, malformed and missing all answer the same 404; playlists are never cached; each hit touches
 * the session so it stays open while someone watches.
 */
export class HlsHttpServer {
  private server: Server | undefined;

  constructor(private readonly options: HlsHttpServerOptions) {}

  async listen(): Promise<{ host: string; port: number }> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => notFound(res));
    });
    server.keepAliveTimeout = 5000;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const addr = server.address() as AddressInfo;
    return { host: addr.address, port: addr.port };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Serves one request; also called in process by a co-located gateway (same checks, no HTTP hop). */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.handle(req, res).catch(() => notFound(res));
  }

  /** Takes over an HTTP upgrade (from its own server, or a co-located gateway's); refused ones are destroyed. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.options.upgrade) this.options.upgrade(req, socket, head);
    else socket.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.options.recorded && (await this.options.recorded.handle(req, res))) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
    const parsed = parseHlsPath(req.url);
    if (!parsed) return notFound(res);
    const authorize = this.options.authorize;
    if (!authorize || (await authorize(req, parsed.cameraId, parsed.profile)) !== true) return notFound(res);
    if (this.options.llHls && (await this.options.llHls.handle(req, res, parsed))) return;
    const dir = this.options.source.outputDirOf(parsed.cameraId, parsed.profile);
    if (!dir) return notFound(res);
    this.options.source.touch(parsed.cameraId, parsed.profile);
    const file = join(dir, parsed.file);
    if (!file.startsWith(dir + '/')) return notFound(res);
    const playlist = parsed.file.endsWith('.m3u8');
    const headers = {
      'Content-Type': parsed.contentType,
      'Cache-Control': playlist ? 'no-cache, no-store, must-revalidate' : 'private, max-age=60',
      'Access-Control-Allow-Origin': '*',
    };
    if (playlist) {
      // small and rewritten every segment: read it whole so Content-Length always matches the body
      const onDisk = await readFile(file, 'utf8').catch(() => undefined);
      const timeline = parsed.file === PLAYLIST_NAME ? this.options.source.playlist?.bind(this.options.source) : undefined;
      const served = timeline ? timeline(parsed.cameraId, parsed.profile, onDisk) : onDisk;
      if (served === undefined) return notFound(res);
      const linked = parsed.file === PLAYLIST_NAME ? this.options.segmentLinks?.rewrite(served, dir) : undefined;
      const body = linked !== undefined ? Buffer.from(linked) : carryQuery(Buffer.from(served), req.url);
      res.writeHead(200, { ...headers, 'Content-Length': body.length });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    let size: number;
    try {
      const st = await stat(file);
      if (!st.isFile()) return notFound(res);
      size = st.size;
    } catch {
      return notFound(res);
    }
    res.writeHead(200, { ...headers, 'Content-Length': size });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
}

/**
 * Relative segment URIs lose the playlist's query string (where the stream token travels), so each URI
 * line of a playlist requested with a query gets that query appended. Pure apart from Buffer.
 */
export function carryQuery(playlist: Buffer, url: string | undefined): Buffer {
  const q = url?.indexOf('?') ?? -1;
  if (!url || q < 0 || q === url.length - 1) return playlist;
  const query = url.slice(q + 1);
  if (!/^[A-Za-z0-9._~%=&+-]+$/.test(query)) return playlist;
  const lines = playlist.toString('utf8').split('\n');
  return Buffer.from(lines.map((l) => (l && !l.startsWith('#') && !l.includes('?') ? `${l}?${query}` : l)).join('\n'));
}

function notFound(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ code: 'NOT_FOUND', message: 'not found' });
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
