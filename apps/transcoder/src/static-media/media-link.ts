import { createHash, hkdfSync } from 'node:crypto';

/**
 * Signed links to segment files served by nginx's secure_link module (docs/delivery.md). nginx is configured with
 *
 *     secure_link $arg_md5,$arg_expires;
 *     secure_link_md5 "$secure_link_expires$uri <secret>";
 *
 * and accepts a request when md5 is the base64url (no padding) MD5 of exactly that string and `expires` (Unix
 * seconds) is not past. Pure: strings in, strings out; no clock, no I/O.
 */

/** The HKDF label of the link secret: a key for this one purpose, never TIERGATE_SECRET_KEY itself. */
export const MEDIA_LINK_LABEL = 'tiergate static-media link';

/**
 * The secret nginx and the workers share, derived from the shared secret key (HKDF-SHA256, salt `tiergate/v1`,
 * info MEDIA_LINK_LABEL): 64 hex digits, so it sits in nginx's quoted secure_link_md5 string without escaping.
 */
export function mediaLinkSecretOf(secretKey: string): string {
  if (!secretKey) throw new Error('a secret key is required to derive the static-media link secret');
  return Buffer.from(hkdfSync('sha256', secretKey, 'tiergate/v1', MEDIA_LINK_LABEL, 32)).toString('hex');
}

/** nginx's signature of one URI (its `$uri`: the decoded path, no query) valid until `expires` (Unix seconds). */
export function mediaLinkSignature(uri: string, expires: number, secret: string): string {
  if (!uri.startsWith('/')) throw new Error('a link URI is an absolute path');
  if (!Number.isSafeInteger(expires) || expires < 0) throw new Error('expires is whole Unix seconds');
  return createHash('md5').update(`${expires}${uri} ${secret}`).digest('base64url');
}

/** The query nginx checks: `md5=<signature>&expires=<seconds>`. */
export function mediaLinkQuery(uri: string, expires: number, secret: string): string {
  return `md5=${mediaLinkSignature(uri, expires, secret)}&expires=${expires}`;
}
