import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TiergateError } from '@tiergate/domain';
import { authorizationHeader, Challenge, pickChallenge } from '../http-auth/challenge-auth';
import { DEVICE_LIMITS, deviceAgent } from '../net/device-io';
import { classifyOnvifFailure } from '../onvif-client/onvif-error.classifier';
import { parseSystemDateAndTime } from '../onvif-client/system-clock.parser';
import { addressedEnvelope } from './soap.envelope';
import { usernameTokenHeader } from './ws-security';

export interface SoapTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** The deadline of each exchange (the socket is closed at it, however the camera answers). */
  timeoutMs: number;
}

export interface SoapAnswer {
  status: number;
  body: string;
}

export interface SoapCallOptions {
  /** WS-Addressing Action (and To, the URL called), for services that route on it (Events). */
  action?: string;
  /** This exchange's deadline instead of the target's (a long poll's wait plus the target's). */
  deadlineMs?: number;
  signal?: AbortSignal;
}

interface RawAnswer extends SoapAnswer {
  challenges: string[];
}

/**
 * Authenticated SOAP calls to one camera, for the clients that speak to it outside the onboarding (PullPoint events,
 * PTZ): a WS-UsernameToken on the camera's clock (read once with the anonymous GetSystemDateAndTime; a camera that
 * refuses it or answers it unreadably keeps ours), or HTTP Digest once the camera asked for it (a 401 with a
 * challenge). Every answer through a `deviceAgent`: capped at `DEVICE_LIMITS.soapAnswerBytes`, one deadline per
 * exchange. Every address is reached at the host and port we reach the camera at (a NAT-ed camera names its private
 * address). A refusal of the credentials (401/403 that stays one, or a WS-Security NotAuthorized fault) is
 * CAMERA_UNAUTHORIZED; every other failure one TiergateError without the password (`classifyOnvifFailure`).
 */
export class SoapChannel {
  /** Camera clock minus ours (ms), for the WS-Security `Created` time; undefined until read. */
  private clockShiftMs: number | undefined;
  private digest: Challenge | undefined;

  constructor(private readonly target: SoapTarget) {}

  get where(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  /** The same path at the address we reach the camera at. */
  at(pathAndQuery: string): URL {
    const host = this.target.host.includes(':') ? `[${this.target.host}]` : this.target.host;
    return new URL(`http://${host}:${this.target.port}${pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`}`);
  }

  /** Anonymous GetSystemDateAndTime: the camera's clock for the tokens. Also read before the first call. */
  async readClock(signal?: AbortSignal): Promise<void> {
    const body = addressedEnvelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
    const answer = await this.exchange(this.at('/onvif/device_service'), body, undefined, this.target.timeoutMs, signal);
    this.clockShiftMs = 0;
    if (answer.status !== 200) return;
    try {
      const clock = parseSystemDateAndTime(answer.body);
      if (clock) this.clockShiftMs = clock.utcMs - Date.now();
    } catch {
      // an unreadable clock: ours (the token may still pass, and Digest does not need it)
    }
  }

  /** One authenticated call: the answer whatever its status, but for a refusal of the credentials (thrown). */
  async call(url: URL, body: string, options: SoapCallOptions = {}): Promise<SoapAnswer> {
    const { action, signal } = options;
    const deadlineMs = options.deadlineMs ?? this.target.timeoutMs;
    if (this.clockShiftMs === undefined) await this.readClock(signal);
    const envelope = (): string =>
      addressedEnvelope(body, {
        action,
        to: action ? url.toString() : undefined,
        security: this.digest ? undefined : usernameTokenHeader(this.target.username, this.target.password, new Date(Date.now() + (this.clockShiftMs ?? 0))),
      });
    const authorization = (): string | undefined => this.digest && authorizationHeader(this.digest, 'POST', url.pathname + url.search, this.target.username, this.target.password);
    let answer = await this.exchange(url, envelope(), authorization(), deadlineMs, signal);
    if (answer.status === 401) {
      const challenge = pickChallenge(answer.challenges);
      if (challenge && (this.digest === undefined || challenge.params.nonce !== this.digest.params.nonce)) {
        this.digest = challenge;
        answer = await this.exchange(url, envelope(), authorization(), deadlineMs, signal);
      }
    }
    const refusedToken = answer.status === 400 && /NotAuthorized/i.test(answer.body.slice(0, 4096)); // WS-Security refused (ONVIF core)
    if (answer.status === 401 || answer.status === 403 || refusedToken) throw new TiergateError('CAMERA_UNAUTHORIZED', `camera at ${this.where} refused the username or password`);
    return { status: answer.status, body: answer.body };
  }

  /** A failure while reading an answer, as the transport's: one TiergateError without the password. */
  failure(e: unknown): TiergateError {
    return classifyOnvifFailure(e, this.where, [this.target.password]);
  }

  private exchange(url: URL, body: string, authorization: string | undefined, deadlineMs: number, signal?: AbortSignal): Promise<RawAnswer> {
    if (signal?.aborted) return Promise.reject(new TiergateError('CAMERA_UNREACHABLE', `camera at ${this.where}: stopped`));
    const secure = url.protocol === 'https:';
    const agent = deviceAgent({ maxBytes: DEVICE_LIMITS.soapAnswerBytes, deadlineMs }, secure);
    const send = secure ? httpsRequest : httpRequest;
    return new Promise<RawAnswer>((resolve, reject) => {
      const headers: Record<string, string | number> = { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) };
      if (authorization) headers.Authorization = authorization;
      const req = send(url, { method: 'POST', agent, headers, timeout: deadlineMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = res.headers['www-authenticate'];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), challenges: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw] });
        });
        res.on('error', reject);
      });
      const onAbort = () => req.destroy(Object.assign(new Error('stopped'), { code: 'ECONNRESET' }));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.on('close', () => signal?.removeEventListener('abort', onAbort));
      req.end(body);
    })
      .catch((e) => {
        throw this.failure(e);
      })
      .finally(() => agent.destroy());
  }
}
