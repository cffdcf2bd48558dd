import { isIP } from 'node:net';

/** Pure helpers for the URIs a camera reports (stream and snapshot URIs). */

/** Whether an IPv4/IPv6 literal or name is one a camera behind NAT would wrongly report for itself. */
export function isPrivateOrUnroutable(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '0.0.0.0' || h === '::' || h === '::1') return true;
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(h) === 6) return h.startsWith('fe80:') || h.startsWith('fc') || h.startsWith('fd');
  return false;
}

export interface CleanUri {
  /** The URI without `user:pass@`, with its host rewritten when it was unreachable. */
  uri: string;
  /** Whether the host was rewritten to the address the camera was reached at. */
  rewritten: boolean;
}

/**
 * Strips credentials from a camera-reported URI and, when it names a private/unroutable host other than
 * the one we reached the camera at (NAT), puts the reached host in its place (port and path kept).
 * Returns undefined for something that is not an absolute URL.
 */
export function cleanCameraUri(raw: string, reachedHost: string): CleanUri | undefined {
  if (raw.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  url.username = '';
  url.password = '';
  let rewritten = false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host.toLowerCase() !== reachedHost.toLowerCase() && isPrivateOrUnroutable(host)) {
    url.hostname = isIP(reachedHost) === 6 ? `[${reachedHost}]` : reachedHost;
    rewritten = true;
  }
  return { uri: url.toString(), rewritten };
}

/** Splits `user:pass@` off a URL: the clean URL plus the decoded credentials (if any). */
export function splitUrlCredentials(raw: string): { url: string; username?: string; password?: string } {
  const url = new URL(raw);
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  return { url: url.toString(), username, password };
}
