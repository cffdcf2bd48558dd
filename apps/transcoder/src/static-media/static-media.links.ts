import { relative, sep } from 'node:path';
import { isHlsFileName } from '@tiergate/contracts';
import { mediaLinkQuery } from './media-link';

/** Shortest lifetime of a signed segment link, seconds (docs/delivery.md: about two playlist windows of 1 s segments). */
export const MIN_LINK_TTL_SECONDS = 15;

/** One URL path level of a link: what worker ids, session directories and segment names are made of. */
const PATH_LEVEL = /^[A-Za-z0-9_-]{1,128}$/;

export interface StaticMediaPlaylistOptions {
  /** `scheme://host[:port]` of the static-media nginx. */
  origin: string;
  /** URL path of the session's directory under that origin, no trailing slash (`/media/<workerId>/<cam>-<profile>`). */
  dirPath: string;
  secret: string;
  nowMs: number;
  minTtlSeconds?: number;
}

/**
 * Pure: the classic playlist with every segment URI replaced by a signed nginx link
 * (`<origin><dirPath>/<file>?md5=…&expires=…`). Links live max(minTtlSeconds, 2 × the listed duration) seconds,
 * so each one outlasts its segment's time in the window, and a viewer who stops getting playlists (token expired,
 * grant revoked) loses the video once the links they hold expire: new segment names are only learned, and signed,
 * through a checked playlist. Tags stay as they are (a classic TS playlist has no URI attributes); a URI line
 * that is not a plain HLS file name is left alone.
 */
export function linkSegmentsToStaticMedia(playlist: string, o: StaticMediaPlaylistOptions): string {
  const lines = playlist.split('\n');
  let listed = 0;
  for (const line of lines) {
    const m = /^#EXTINF:([0-9.]+)/.exec(line);
    if (m) listed += Number(m[1]);
  }
  const ttl = Math.max(o.minTtlSeconds ?? MIN_LINK_TTL_SECONDS, Math.ceil(2 * listed));
  const expires = Math.floor(o.nowMs / 1000) + ttl;
  return lines
    .map((line) => {
      if (!line || line.startsWith('#') || !isHlsFileName(line) || line.endsWith('.m3u8')) return line;
      const uri = `${o.dirPath}/${line}`;
      return `${o.origin}${uri}?${mediaLinkQuery(uri, expires, o.secret)}`;
    })
    .join('\n');
}

export interface StaticMediaLinksOptions {
  /** `transcoder.staticMediaUrl`: the public base URL of the nginx in front of `servedRoot`. */
  baseUrl: string;
  /** The directory nginx serves at baseUrl: the parent of the worker roots (`transcoder.hlsDir`). */
  servedRoot: string;
  /** mediaLinkSecretOf(TIERGATE_SECRET_KEY). */
  secret: string;
  now?: () => number;
}

/**
 * Static-media mode of a worker's HLS server (docs/delivery.md): the playlist it serves (after the full token and
 * grant check) names its segments as signed links to the nginx in front of the output directories, which serves
 * them with sendfile. Everything but segments stays on the checked path.
 */
export class StaticMediaLinks {
  private readonly origin: string;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(private readonly options: StaticMediaLinksOptions) {
    const url = new URL(options.baseUrl);
    if (url.search || url.hash) throw new Error('transcoder.staticMediaUrl takes no query or fragment');
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
  }

  /** The URL path nginx serves a session directory at, or undefined when the directory is not under the served root. */
  dirPathOf(dir: string): string | undefined {
    const levels = relative(this.options.servedRoot, dir).split(sep);
    if (levels.length === 0 || !levels.every((l) => PATH_LEVEL.test(l))) return undefined;
    return `${this.prefix}/${levels.join('/')}`;
  }

  /** The playlist with signed segment links; undefined (serve it as before) when the directory is not served. */
  rewrite(playlist: string, dir: string): string | undefined {
    const dirPath = this.dirPathOf(dir);
    if (dirPath === undefined) return undefined;
    return linkSegmentsToStaticMedia(playlist, { origin: this.origin, dirPath, secret: this.options.secret, nowMs: this.now() });
  }
}
