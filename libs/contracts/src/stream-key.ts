import { isSafeFileName, isSafeId } from '@tiergate/domain';

/**
 * The one stream contract: what names a live stream, and the HLS paths that carry it, for the gateway (its
 * proxy and the URLs it hands out), the transcoder workers (their HLS server, output directories and
 * timelines) and the stream tokens. Every rule about a stream's name lives here.
 */

/** The stream profiles a camera offers, in the order the console lists them. */
export const STREAM_PROFILES = ['main', 'sub'] as const;
export type StreamProfile = (typeof STREAM_PROFILES)[number];

export const isStreamProfile = (s: unknown): s is StreamProfile => s === 'main' || s === 'sub';

/** One live stream: a camera and one of its profiles. A worker runs at most one session per key. */
export interface StreamKey {
  cameraId: string;
  profile: StreamProfile;
}

/**
 * A stream key from untrusted parts (a URL, a bus payload), or undefined. A camera id is a safe id (it names a
 * directory on a worker's disk and a topic level); the gateway's cameras are also UUIDs, which it checks itself.
 */
export function parseStreamKey(cameraId: unknown, profile: unknown): StreamKey | undefined {
  return isSafeId(cameraId) && isStreamProfile(profile) ? { cameraId, profile } : undefined;
}

/** The key as one string (`<cameraId>/<profile>`), for maps and logs. */
export const streamKeyId = (key: { cameraId: string; profile: string }): string => `${key.cameraId}/${key.profile}`;

/** The file name of a session's media playlist, on a worker's disk and in every HLS URL. */
export const PLAYLIST_NAME = 'index.m3u8';

/** What an HLS file of a session may be, by extension, and the Content-Type it is served with. */
export const HLS_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
};

/** The extension of an HLS file name (`.ts`), or undefined when it is not one. */
function hlsExtensionOf(file: string): string | undefined {
  const ext = file.slice(file.lastIndexOf('.'));
  return Object.hasOwn(HLS_CONTENT_TYPES, ext) ? ext : undefined;
}

/** A file of a session's HLS output: a safe file name (no separator, no leading dot, no `..`) with an HLS extension. */
export function isHlsFileName(file: unknown): file is string {
  return isSafeFileName(file) && !file.includes('..') && hlsExtensionOf(file) !== undefined;
}

/** The Content-Type of an HLS file name accepted by `isHlsFileName`. */
export function hlsContentTypeOf(file: string): string | undefined {
  const ext = hlsExtensionOf(file);
  return ext === undefined ? undefined : HLS_CONTENT_TYPES[ext];
}

/** The path of one file of a stream's HLS, relative to the server's base URL: `/hls/<cameraId>/<profile>/<file>`. */
export function hlsPathOf(key: StreamKey, file: string = PLAYLIST_NAME): string {
  return `/hls/${encodeURIComponent(key.cameraId)}/${key.profile}/${file}`;
}

/** A request path (its query ignored) that names one HLS file of a stream. */
export interface HlsFileRef extends StreamKey {
  file: string;
}

/** Pure: `/hls/<cameraId>/<profile>/<file>` with every part valid, else undefined (answered 404). */
export function parseHlsPath(url: string | undefined): HlsFileRef | undefined {
  const parts = streamPathParts(url, 'hls');
  const key = parts && parseStreamKey(parts.cameraId, parts.profile);
  return key && isHlsFileName(parts.last) ? { ...key, file: parts.last } : undefined;
}

/** Pure: the parts of `/<prefix>/<cameraId>/<profile>/<last>` (query ignored), unvalidated, or undefined for another shape. */
export function streamPathParts(url: string | undefined, prefix: string): { cameraId: string; profile: string; last: string } | undefined {
  if (!url) return undefined;
  const q = url.indexOf('?');
  const parts = (q < 0 ? url : url.slice(0, q)).split('/');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== prefix) return undefined;
  return { cameraId: parts[2], profile: parts[3], last: parts[4] };
}

/*
 * Low-latency live (issue 13). The MSE WebSocket of a stream: `/live/<cameraId>/<profile>/mse?token=…`,
 * served by the worker holding the session and reached through the gateway. Protocol (docs/live-low-latency.md):
 * server → client: a text message `{"type":"init","codec":"avc1.64001f","generation":n}` and then a binary
 * message with the init segment (ftyp+moov), then one binary message per fragment (moof+mdat), starting at the
 * newest keyframe (the GOP cache); again a text `init` + binary init after an ffmpeg restart.
 * client → server: `{"type":"renew","token":"…"}` to replace the token before it expires.
 * Close codes: 4401 token expired/refused (renew by POST /api/cameras/:id/live), 4404 no such stream,
 * 4408 viewer too slow (its buffer exceeded the cap), 1001 session closed.
 */
export const MSE_CLOSE = { tokenRefused: 4401, notFound: 4404, tooSlow: 4408, sessionClosed: 1001 } as const;

/** The path of a stream's MSE WebSocket, relative to the server's base URL. */
export function msePathOf(key: StreamKey): string {
  return `/live/${encodeURIComponent(key.cameraId)}/${key.profile}/mse`;
}

/** Pure: `/live/<cameraId>/<profile>/mse` (query ignored) with valid parts, else undefined. */
export function parseMsePath(url: string | undefined): StreamKey | undefined {
  const parts = streamPathParts(url, 'live');
  return parts?.last === 'mse' ? parseStreamKey(parts.cameraId, parts.profile) : undefined;
}

/**
 * LL-HLS of a stream (fMP4 parts from the same feed), beside the classic playlist in the same directory
 * of URLs: `/hls/<cameraId>/<profile>/ll.m3u8` (blocking reload with `_HLS_msn`/`_HLS_part`), its init
 * `ll_init.mp4`, segments `ll_<msn>.m4s` and parts `ll_<msn>.<part>.m4s`. Served from the worker's memory.
 */
export const LL_PLAYLIST_NAME = 'll.m3u8';
export const LL_INIT_NAME = 'll_init.mp4';
export const llSegmentName = (msn: number): string => `ll_${msn}.m4s`;
export const llPartName = (msn: number, part: number): string => `ll_${msn}.${part}.m4s`;
/**
 * How long a worker holds an LL-HLS request for something about to exist, at most: a playlist request (a
 * blocking reload names a part not made yet; the first playlist waits for its first segment) and a part or
 * segment request (the preload hint). The gateway's response deadlines for these requests are set above them.
 */
export const LL_PLAYLIST_HOLD_MAX_MS = 6000;
export const LL_PART_HOLD_MAX_MS = 1000;
