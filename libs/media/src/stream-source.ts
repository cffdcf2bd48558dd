import { TiergateError } from '@tiergate/domain';

/** Encodings a browser plays after a plain stream copy into HLS. */
const COPYABLE = /^(h\.?264|avc)$/i;

export interface StreamSource {
  /** With credentials: only ever sent to a transcoder over the internal broker, or used inside one. */
  url: string;
  /** True when the stream must be transcoded (H.265/MJPEG source, or a sub tile from a main-only camera). */
  transcode: boolean;
}

/** What of a camera's record decides its stream source (libs/persistence CameraRecord has these fields). */
export interface StreamSourceCamera {
  profiles: readonly { kind: string; streamUri?: string | null; encoding?: string | null }[];
  rtspUrl: string | null;
  username: string | null;
}

/**
 * Which RTSP URL feeds a camera's profile, and whether it needs transcoding. Pure. Used by the gateway (live
 * ensure requests) and by recording workers (a continuous recording opens its session itself).
 * A camera without a sub profile gets its wall tile by scaling the main stream.
 */
export function streamSourceOf(camera: StreamSourceCamera, profile: 'main' | 'sub', password: string | null): StreamSource {
  const wanted = camera.profiles.find((p) => p.kind === profile);
  const fallback = camera.profiles.find((p) => p.kind === 'main') ?? camera.profiles[0];
  const chosen = wanted ?? fallback;
  const uri = chosen?.streamUri ?? camera.rtspUrl;
  if (!uri) throw new TiergateError('CAMERA_UNREACHABLE', 'the camera has no known stream URI');
  const url = new URL(uri);
  if (url.protocol !== 'rtsp:' && url.protocol !== 'rtsps:') throw new TiergateError('UNSUPPORTED_URL', 'only rtsp:// and rtsps:// sources are played');
  if (camera.username) {
    url.username = encodeURIComponent(camera.username);
    url.password = encodeURIComponent(password ?? '');
  }
  const encodingOk = !chosen?.encoding || COPYABLE.test(chosen.encoding);
  const scaledTile = profile === 'sub' && !wanted && camera.profiles.length > 0;
  return { url: url.toString(), transcode: !encodingOk || scaledTile };
}
