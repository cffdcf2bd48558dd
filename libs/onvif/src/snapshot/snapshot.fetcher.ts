import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { TiergateError } from '@tiergate/domain';
import { authorizationHeader, pickChallenge } from '../http-auth/challenge-auth';
import { DEVICE_LIMITS, deviceAgent, deviceFaultOf } from '../net/device-io';

export const MAX_SNAPSHOT_BYTES = DEVICE_LIMITS.snapshotBytes;

export interface Snapshot {
  contentType: string;
  body: Buffer;
}

/**
 * The one adapter that fetches JPEG snapshots from cameras: HTTP(S) GET, answering a Digest or Basic
 * challenge once. Each request has one deadline (`timeoutMs`, however slowly the camera sends) and the answer
 * a size cap (`DEVICE_LIMITS.snapshotBytes`); the socket is closed at either (libs/onvif device-io). A camera
 * that sends too much or too slowly fails with CAMERA_PROTOCOL_ERROR (its cause says which). Credentials
 * never leave this class.
 */
export class SnapshotFetcher {
  async fetch(url: URL, username: string | null, password: string | null, timeoutMs: number): Promise<Snapshot> {
    let res = await this.get(url, undefined, timeoutMs);
    if (res.status === 401 && username) {
      const challenge = pickChallenge(res.challenges);
      if (!challenge) throw new TiergateError('CAMERA_UNAUTHORIZED', 'the camera refused the snapshot request');
      res = await this.get(url, authorizationHeader(challenge, 'GET', url.pathname + url.search, username, password ?? ''), timeoutMs);
    }
    if (res.status === 401 || res.status === 403) throw new TiergateError('CAMERA_UNAUTHORIZED', 'the camera refused the snapshot credentials');
    if (res.status !== 200) throw new TiergateError('CAMERA_PROTOCOL_ERROR', `the camera answered the snapshot request with HTTP ${res.status}`);
    if (!/^image\//i.test(res.contentType)) throw new TiergateError('CAMERA_PROTOCOL_ERROR', 'the camera answered the snapshot request with something other than an image');
    return { contentType: res.contentType, body: res.body };
  }

  private get(url: URL, authorization: string | undefined, timeoutMs: number) {
    const agent = deviceAgent({ maxBytes: MAX_SNAPSHOT_BYTES, deadlineMs: timeoutMs }, url.protocol === 'https:');
    return new Promise<{ status: number; contentType: string; challenges: string[]; body: Buffer }>((resolve, reject) => {
      const send = url.protocol === 'https:' ? requestTls : request;
      const req = send(url, { method: 'GET', agent, headers: authorization ? { authorization } : {}, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = res.headers['www-authenticate'];
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            challenges: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
            body: Buffer.concat(chunks),
          });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('idle'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(snapshotFailure(e, timeoutMs)));
      req.end();
    }).finally(() => agent.destroy());
  }
}

/** Pure: what a failed snapshot request means for the caller. */
export function snapshotFailure(e: unknown, timeoutMs: number): TiergateError {
  if (e instanceof TiergateError) return e;
  const fault = deviceFaultOf(e);
  if (fault) return new TiergateError('CAMERA_PROTOCOL_ERROR', `the camera sent a snapshot ${fault.message}`, undefined, { cause: fault });
  if ((e as { code?: string }).code === 'ETIMEDOUT') return new TiergateError('CAMERA_UNREACHABLE', `the camera did not send a snapshot within ${timeoutMs} ms`);
  return new TiergateError('CAMERA_UNREACHABLE', 'the camera cannot be reached for a snapshot');
}
