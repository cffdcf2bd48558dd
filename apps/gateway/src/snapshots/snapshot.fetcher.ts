import { Injectable } from '@nestjs/common';
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { TiergateError } from '@tiergate/domain';
import { authorizationHeader, pickChallenge } from '@tiergate/onvif';

export const MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024;

export interface Snapshot {
  contentType: string;
  body: Buffer;
}

/**
 * The one adapter that fetches JPEG snapshots from cameras: HTTP(S) GET, answering a Digest or Basic
 * challenge once, with a deadline and a size cap. Credentials never leave this class.
 */
@Injectable()
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
    return new Promise<{ status: number; contentType: string; challenges: string[]; body: Buffer }>((resolve, reject) => {
      const send = url.protocol === 'https:' ? requestTls : request;
      const req = send(url, { method: 'GET', headers: authorization ? { authorization } : {}, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_SNAPSHOT_BYTES) {
            req.destroy(new TiergateError('CAMERA_PROTOCOL_ERROR', 'the camera snapshot is larger than 5 MB'));
            return;
          }
          chunks.push(c);
        });
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
      req.on('timeout', () => req.destroy(new TiergateError('CAMERA_UNREACHABLE', `the camera did not send a snapshot within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(e instanceof TiergateError ? e : new TiergateError('CAMERA_UNREACHABLE', 'the camera cannot be reached for a snapshot')));
      req.end();
    });
  }
}
