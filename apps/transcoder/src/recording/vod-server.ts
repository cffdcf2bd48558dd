import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { PlaybackGrant } from '@tiergate/access';
import { parseVodPath } from '@tiergate/contracts';
import { buildVodPlaylist } from './vod-playlist';
import { initHashOfPath, parseVodFile } from '@tiergate/domain';

/** What the VOD server reads of the segment index (a subset of libs/persistence's RecordingsRepository). */
export interface VodSegmentRow {
  id: string;
  cameraId: string;
  profile: string;
  workerId: string;
  rootId: string;
  path: string;
  initPath: string;
  startAt: Date;
  endAt: Date;
}

export interface VodIndex {
  segmentsOf(cameraId: string, profile: string, from: Date, to: Date): Promise<VodSegmentRow[]>;
  segmentById(id: string): Promise<VodSegmentRow | undefined>;
}

export interface VodServerDeps {
  workerId: string;
  /** This worker's storage roots: id → absolute directory. */
  roots: ReadonlyMap<string, string>;
  index: VodIndex;
  /** The playback token check (libs/access PlaybackTokens.rangeOf). */
  rangeOf(token: string | undefined, cameraId: string, profile: string): PlaybackGrant | undefined;
  /** Other recorded-media routes on the same server (export downloads); tried when the path is not /vod/. */
  next?: { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> };
}

/**
 * Recorded video over HLS VOD on the worker's HTTP server (docs/recording.md, "Playback"):
 * GET/HEAD /vod/<cameraId>/<profile>/<file>?from&to&token. The playback token is checked on every request;
 * the playlist lists the index rows overlapping the token's range (whichever worker holds them: the gateway
 * routes each file by its row); an init is served when a row of this worker in the range names it; a segment
 * is found by its row id, and served only when the row is of the token's camera and profile, overlaps its
 * range and is held here. No path from the URL ever reaches the file system. Refused, malformed and missing
 * all answer the same 404.
 */
export class VodServer {
  constructor(private readonly deps: VodServerDeps) {}

  /** True when the request was a recorded-media path and has been answered. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!req.url?.startsWith('/vod/')) return this.deps.next ? this.deps.next.handle(req, res) : false;
    await this.answer(req, res).catch(() => notFound(res));
    return true;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
    const ref = parseVodPath(req.url);
    const file = ref && parseVodFile(ref.file);
    if (!ref || !file) return notFound(res);
    const query = queryOf(req.url);
    const grant = this.deps.rangeOf(query.get('token') ?? undefined, ref.cameraId, ref.profile);
    if (!grant) return notFound(res);
    const from = new Date(grant.from);
    const to = new Date(grant.to);
    if (file.kind === 'playlist') {
      const rows = await this.deps.index.segmentsOf(ref.cameraId, ref.profile, from, to);
      const carried = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), token: query.get('token')! }).toString();
      const text = buildVodPlaylist(rows, { query: carried, startAt: grant.from });
      if (text === undefined) return notFound(res);
      const body = Buffer.from(text);
      res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Content-Length': body.length, 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    let row: VodSegmentRow | undefined;
    let relative: string;
    if (file.kind === 'segment') {
      row = await this.deps.index.segmentById(file.segmentId);
      if (!row || row.cameraId !== ref.cameraId || row.profile !== ref.profile) return notFound(res);
      if (!(row.startAt.getTime() < grant.to && row.endAt.getTime() > grant.from)) return notFound(res);
      relative = row.path;
    } else {
      const rows = await this.deps.index.segmentsOf(ref.cameraId, ref.profile, from, to);
      row = rows.find((r) => r.workerId === this.deps.workerId && initHashOfPath(r.initPath) === file.hash);
      if (!row) return notFound(res);
      relative = row.initPath;
    }
    if (row.workerId !== this.deps.workerId) return notFound(res);
    const path = insideRoot(this.deps.roots.get(row.rootId), relative);
    if (!path) return notFound(res);
    await sendFile(req, res, path, 'video/mp4');
  }
}

/** Pure: the absolute file of a row's relative path, only when it stays inside the root. */
export function insideRoot(root: string | undefined, relative: string): string | undefined {
  if (!root || !isAbsolute(root) || isAbsolute(relative)) return undefined;
  const path = normalize(join(root, relative));
  return path.startsWith(normalize(root) + sep) ? path : undefined;
}

export function queryOf(url: string | undefined): URLSearchParams {
  const q = url?.indexOf('?') ?? -1;
  return new URLSearchParams(q < 0 ? '' : url!.slice(q + 1));
}

/** Streams a file (immutable once renamed into place) with its length; 404 when it is not a file. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, contentType: string, extra: Record<string, string> = {}): Promise<void> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) return notFound(res);
    size = st.size;
  } catch {
    return notFound(res);
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': size, 'Cache-Control': 'private, max-age=3600', 'Access-Control-Allow-Origin': '*', ...extra });
  if (req.method === 'HEAD') return void res.end();
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

export function notFound(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ code: 'NOT_FOUND', message: 'not found' });
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
