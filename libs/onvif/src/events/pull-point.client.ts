import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TiergateError } from '@tiergate/domain';
import { authorizationHeader, Challenge, pickChallenge } from '../http-auth/challenge-auth';
import { DEVICE_LIMITS, deviceAgent } from '../net/device-io';
import { classifyOnvifFailure } from '../onvif-client/onvif-error.classifier';
import { parseSystemDateAndTime } from '../onvif-client/system-clock.parser';
import { usernameTokenHeader } from '../soap/ws-security';
import {
  eventsEnvelope,
  eventsRequests,
  parseCreatePullPoint,
  parseEventsXAddr,
  parsePullMessages,
  parseRenew,
  parseUnsubscribe,
  PullPointSubscription,
  PullResult,
} from './events.codec';

export interface EventsTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** The deadline of every call but PullMessages (which gets its own wait plus this). */
  timeoutMs: number;
}

interface Answer {
  status: number;
  body: string;
  challenges: string[];
}

const ACTION = {
  create: 'http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest',
  pull: 'http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest',
  renew: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest',
  unsubscribe: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest',
};

/**
 * The ONVIF Events client (PullPoint) of one camera: the events address (GetCapabilities), CreatePullPointSubscription,
 * PullMessages as a long poll, Renew and Unsubscribe. Every answer goes through a `deviceAgent` (capped at
 * `DEVICE_LIMITS.soapAnswerBytes`, one deadline per exchange that closes the socket: `timeoutMs`, and for
 * PullMessages its wait plus `timeoutMs`), is parsed by the safe SOAP parser and checked (events.codec.ts), and
 * every failure is one TiergateError from `classifyOnvifFailure` without the password. Authentication: a
 * WS-UsernameToken on the camera's clock (read first with GetSystemDateAndTime), or HTTP Digest once the camera
 * asked for it. Every address the camera names is reached at the host and port we reached it at (a NAT-ed camera
 * names its private address), as the onboarding does (`preserveAddress`).
 *
 * Not the npm `onvif` package's own event loop: it fixes the wait at one minute and the subscription at two, and
 * reads answers by indexing into them inside its callbacks (a hostile answer throws there, out of reach).
 */
export class PullPointClient {
  /** Camera clock minus ours (ms), for the WS-Security `Created` time. */
  private clockShiftMs = 0;
  private digest: Challenge | undefined;

  constructor(private readonly target: EventsTarget) {}

  get where(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  /** Anonymous GetSystemDateAndTime: the camera's clock for the tokens (a camera that refuses it keeps ours). */
  async readClock(signal?: AbortSignal): Promise<void> {
    const body = eventsEnvelope('<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>');
    const answer = await this.exchange(this.at('/onvif/device_service'), body, undefined, this.target.timeoutMs, signal);
    if (answer.status !== 200) return;
    try {
      const clock = parseSystemDateAndTime(answer.body);
      if (clock) this.clockShiftMs = clock.utcMs - Date.now();
    } catch (e) {
      throw this.failure(e);
    }
  }

  /** The events service address, or undefined when the camera has none (no Events in GetCapabilities, or refused). */
  async eventsAddress(signal?: AbortSignal): Promise<URL | undefined> {
    const answer = await this.call(this.at('/onvif/device_service'), eventsRequests.getCapabilities(), undefined, this.target.timeoutMs, signal);
    if (answer.status !== 200 && /ActionNotSupported|NoSuchService/i.test(answer.body.slice(0, 4096))) return undefined;
    const url = this.read(answer, parseEventsXAddr);
    return url && this.at(url.pathname + url.search);
  }

  async createPullPoint(events: URL, terminationMs: number, signal?: AbortSignal): Promise<PullPointSubscription> {
    const answer = await this.call(events, eventsRequests.createPullPoint(terminationMs), ACTION.create, this.target.timeoutMs, signal);
    const sub = this.read(answer, parseCreatePullPoint);
    return { ...sub, address: this.at(sub.address.pathname + sub.address.search) };
  }

  /** Waits up to `waitMs` for events (the camera answers earlier when it has some); the socket closes at waitMs + timeoutMs. */
  async pull(sub: PullPointSubscription, waitMs: number, messageLimit: number, signal?: AbortSignal): Promise<PullResult> {
    const answer = await this.call(sub.address, eventsRequests.pullMessages(waitMs, messageLimit), ACTION.pull, waitMs + this.target.timeoutMs, signal);
    return this.read(answer, parsePullMessages);
  }

  async renew(sub: PullPointSubscription, terminationMs: number, signal?: AbortSignal): Promise<{ lifetimeMs?: number }> {
    const answer = await this.call(sub.address, eventsRequests.renew(terminationMs), ACTION.renew, this.target.timeoutMs, signal);
    return this.read(answer, parseRenew);
  }

  async unsubscribe(sub: PullPointSubscription, signal?: AbortSignal): Promise<void> {
    const answer = await this.call(sub.address, eventsRequests.unsubscribe(), ACTION.unsubscribe, this.target.timeoutMs, signal);
    this.read(answer, parseUnsubscribe);
  }

  /** The same path at the address we reach the camera at. */
  private at(pathAndQuery: string): URL {
    return new URL(`http://${this.target.host.includes(':') ? `[${this.target.host}]` : this.target.host}:${this.target.port}${pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`}`);
  }

  private read<T>(answer: Answer, parse: (xml: string) => T): T {
    if (answer.status === 401 || answer.status === 403) throw new TiergateError('CAMERA_UNAUTHORIZED', `camera at ${this.where} refused the username or password`);
    try {
      return parse(answer.body);
    } catch (e) {
      throw this.failure(e);
    }
  }

  /** One authenticated SOAP call: WS-UsernameToken, or Digest once the camera asked for it (401 with a challenge). */
  private async call(url: URL, body: string, action: string | undefined, deadlineMs: number, signal?: AbortSignal): Promise<Answer> {
    const envelope = (): string =>
      eventsEnvelope(body, {
        action,
        to: action ? url.toString() : undefined,
        security: this.digest ? undefined : usernameTokenHeader(this.target.username, this.target.password, new Date(Date.now() + this.clockShiftMs)),
      });
    const authorization = (): string | undefined =>
      this.digest && authorizationHeader(this.digest, 'POST', url.pathname + url.search, this.target.username, this.target.password);
    let answer = await this.exchange(url, envelope(), authorization(), deadlineMs, signal);
    if (answer.status === 401) {
      const challenge = pickChallenge(answer.challenges);
      if (challenge && (this.digest === undefined || challenge.params.nonce !== this.digest.params.nonce)) {
        this.digest = challenge;
        answer = await this.exchange(url, envelope(), authorization(), deadlineMs, signal);
      }
    }
    return answer;
  }

  private exchange(url: URL, body: string, authorization: string | undefined, deadlineMs: number, signal?: AbortSignal): Promise<Answer> {
    if (signal?.aborted) return Promise.reject(new TiergateError('CAMERA_UNREACHABLE', `camera at ${this.where}: stopped`));
    const secure = url.protocol === 'https:';
    const agent = deviceAgent({ maxBytes: DEVICE_LIMITS.soapAnswerBytes, deadlineMs }, secure);
    const send = secure ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
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

  private failure(e: unknown): TiergateError {
    return classifyOnvifFailure(e, this.where, [this.target.password]);
  }
}
