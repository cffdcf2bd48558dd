/** Pure validation of a camera source URL: only rtsp:// and rtsps://, credentials split off. */

export const ALLOWED_SOURCE_SCHEMES = ['rtsp:', 'rtsps:'] as const;
const MAX_URL_LENGTH = 2048;

export type ParsedCameraUrl = { url: string; username?: string; password?: string } | { error: string };

export function parseCameraUrl(raw: string): ParsedCameraUrl {
  const text = raw.trim();
  if (text.length === 0) return { error: 'is empty' };
  if (text.length > MAX_URL_LENGTH) return { error: `is longer than ${MAX_URL_LENGTH} characters` };
  // Control characters and spaces would be smuggled into a child's command line or an RTSP request line.
  if (/[\u0000-\u0020\u007f]/.test(text)) return { error: 'contains spaces or control characters' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: 'is not a URL' }; // the text is not echoed: it may hold a password
  }
  if (!(ALLOWED_SOURCE_SCHEMES as readonly string[]).includes(url.protocol)) {
    return { error: `scheme "${url.protocol.replace(/:$/, '').slice(0, 20)}" is not supported; use rtsp:// or rtsps://` };
  }
  if (!url.hostname) return { error: 'has no host' };
  let username: string | undefined;
  let password: string | undefined;
  try {
    username = url.username ? decodeURIComponent(url.username) : undefined;
    password = url.password ? decodeURIComponent(url.password) : undefined;
  } catch {
    return { error: 'has badly encoded credentials' };
  }
  url.username = '';
  url.password = '';
  return { url: url.toString(), username, password };
}
