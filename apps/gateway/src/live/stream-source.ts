import type { CameraRecord } from '@tiergate/persistence';
import { TiergateError } from '@tiergate/domain';
import type { StreamProfile } from '@tiergate/access';

/** Encodings a browser plays after a plain stream copy into HLS. */
const COPYABLE = /^(h\.?264|avc)$/i;

export interface StreamSource {
  /** With credentials: only ever sent to a transcoder over the internal broker. */
  url: string;
  /** True when the stream must be transcoded (H.265/MJPEG source, or a sub tile from a main-only camera). */
  transcode: boolean;
}

/**
 * Which RTSP URL feeds a camera's profile, and whether it needs transcoding. Pure.
 * A camera without a sub profile gets its wall tile by scaling the main stream.
 */
export function streamSourceOf(camera: Pick<CameraRecord, 'profiles' | 'rtspUrl' | 'username'>, profile: StreamProfile, password: string | null): StreamSource {
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
