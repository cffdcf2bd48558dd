import { TiergateError } from '@tiergate/domain';

/**
 * The URL the gateway fetches a camera's snapshot from. Pure. Only http(s), and always on the host we
 * reach the camera at: a snapshot URI naming another host (NAT, or a hostile device pointing the gateway
 * elsewhere) is rewritten to the camera's own address; credentials in it are dropped.
 */
export function snapshotUrlOf(snapshotUri: string | null, onvifHost: string | null): URL {
  if (!snapshotUri) throw new TiergateError('NOT_FOUND', 'this camera has no snapshot');
  let url: URL;
  try {
    url = new URL(snapshotUri);
  } catch {
    throw new TiergateError('CAMERA_PROTOCOL_ERROR', 'the camera reported an unusable snapshot URI');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TiergateError('CAMERA_PROTOCOL_ERROR', 'the camera reported a non-HTTP snapshot URI');
  if (onvifHost && url.hostname !== onvifHost) url.hostname = onvifHost;
  url.username = '';
  url.password = '';
  return url;
}
