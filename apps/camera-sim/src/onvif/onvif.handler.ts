import { TiergateError } from '@tiergate/domain';
import { child, parseSoap, soapEnvelope, soapFault, text, verifyUsernameToken } from '@tiergate/onvif';
import { checkAuthorization, Credentials, newNonce, safeEqual } from '../auth/digest.auth';
import type { Quirks } from '../camera/quirks';
import { natAddressFor } from '../camera/quirks';
import * as r from './onvif.responses';
import * as ev from './onvif.events';
import type { SimPtz } from '../camera/sim-ptz';
import { answerPtz, PTZ_OPERATIONS } from './onvif.ptz';

/** What the ONVIF handler needs to know about its camera (SimCamera provides it). */
export interface OnvifDevice {
  readonly index: number;
  readonly host: string;
  readonly onvifPort: number;
  readonly rtspPort: number;
  readonly credentials: Credentials;
  readonly quirks: Quirks;
  readonly device: r.DeviceView;
  readonly profileViews: readonly (r.ProfileView & { readonly path: string; readonly jpeg: Buffer })[];
  /** The camera's events service state (PullPoint subscriptions). */
  readonly events: ev.SimEvents;
  /** The camera's pan/tilt/zoom head, when it has one (a PTZ service is advertised then). */
  readonly ptz?: SimPtz;
}

export interface HttpRequestLike {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly body: Buffer;
}

export interface HttpResponseLike {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: string | Buffer;
}

export const MAX_SOAP_BYTES = 64 * 1024;
const EVENT_OPERATIONS = new Set(['GetEventProperties', 'CreatePullPointSubscription', 'PullMessages', 'Renew', 'Unsubscribe']);
const SOAP_TYPE = 'application/soap+xml; charset=utf-8';
const REALM = 'tiergate-camera-sim';

/**
 * Answers ONVIF device/media SOAP calls and snapshot GETs for one camera. No I/O: the HTTP adapter feeds
 * it requests. Auth: GetSystemDateAndTime is anonymous; everything else takes HTTP Digest, or a
 * WS-UsernameToken (digest or text) unless the camera is `digestOnly`.
 */
export class OnvifHandler {
  private readonly nonce = newNonce();

  constructor(
    private readonly camera: OnvifDevice,
    private readonly clock: () => number = Date.now,
  ) {}

  cameraNow(): Date {
    return new Date(this.clock() + (this.camera.quirks.clockOffsetSeconds ?? 0) * 1000);
  }

  /** Answers at once, except PullMessages (a long poll: a promise). */
  handle(req: HttpRequestLike): HttpResponseLike | Promise<HttpResponseLike> {
    if (req.method === 'GET' && req.path.startsWith(r.SNAPSHOT_PREFIX)) return this.snapshot(req);
    if (req.method !== 'POST') return { status: 405, headers: { Allow: 'POST' }, body: '' };
    let msg;
    try {
      msg = parseSoap(req.body, { maxBytes: MAX_SOAP_BYTES });
    } catch (err) {
      const tooBig = err instanceof TiergateError && err.code === 'PAYLOAD_TOO_LARGE';
      return this.fault(tooBig ? 413 : 400, 'Sender', 'ter:WellFormed', tooBig ? 'Message too large' : 'Malformed SOAP message');
    }
    if (msg.operation === 'GetSystemDateAndTime') {
      return this.ok(r.systemDateAndTime(this.cameraNow(), this.camera.quirks.localTimeOnly === true));
    }
    const auth = this.authenticate(req.authorization, msg.header);
    if (auth !== 'ok') return auth;
    if (EVENT_OPERATIONS.has(msg.operation)) return this.dispatchEvents(msg.operation, msg.payload, msg.header, req.path);
    if (PTZ_OPERATIONS.has(msg.operation)) return this.dispatchPtz(msg.operation, msg.payload);
    return this.dispatch(msg.operation, msg.payload);
  }

  /** The events service (onvif.events.ts), unless the camera has none; hostile answers by the `eventsFault` quirk. */
  private dispatchEvents(operation: string, payload: unknown, header: unknown, path: string): HttpResponseLike | Promise<HttpResponseLike> {
    const cam = this.camera;
    if (cam.quirks.noEvents) return this.fault(400, 'Sender', 'ter:ActionNotSupported', 'Optional Action Not Implemented');
    const events = cam.events;
    // the subscription is named by the address it was given (path), or by WS-Addressing To
    const to = text(child(header, 'To')) ?? '';
    const at = path.startsWith(ev.PULLPOINT_PREFIX) ? path : to.slice(to.indexOf(ev.PULLPOINT_PREFIX));
    const id = at.startsWith(ev.PULLPOINT_PREFIX) ? at.slice(ev.PULLPOINT_PREFIX.length) : '';
    const unknown = (): HttpResponseLike => this.fault(400, 'Sender', 'ter:ResourceUnknownFault', 'The subscription does not exist');
    switch (operation) {
      case 'GetEventProperties':
        return this.okEvents(ev.eventPropertiesResponse());
      case 'CreatePullPointSubscription': {
        const created = events.create(text(child(payload, 'InitialTerminationTime')));
        return this.okEvents(ev.createPullPointResponse(created.address(cam.device.baseUrl), created.current, created.termination));
      }
      case 'Renew': {
        const renewed = events.renew(id, text(child(payload, 'TerminationTime')));
        return 'fault' in renewed ? unknown() : this.okEvents(ev.renewResponse(renewed.current, renewed.termination));
      }
      case 'Unsubscribe':
        return events.unsubscribe(id) === 'ok' ? this.okEvents(ev.unsubscribeResponse()) : unknown();
      default: {
        // PullMessages
        const hostile = cam.quirks.eventsFault;
        if (hostile === 'malformed') return { status: 200, headers: { 'Content-Type': SOAP_TYPE }, body: '<soap:Envelope><soap:Body><tev:PullMessagesResponse><<<' };
        if (hostile === 'huge') return { status: 200, headers: { 'Content-Type': SOAP_TYPE }, body: this.envelopeEvents(`<tev:PullMessagesResponse>${'<x/>'.repeat(512 * 1024)}</tev:PullMessagesResponse>`) };
        if (hostile === 'stall') return new Promise<HttpResponseLike>((resolve) => setTimeout(() => resolve(this.okEvents('<tev:PullMessagesResponse/>')), 10 * 60_000).unref());
        const limit = Number(text(child(payload, 'MessageLimit')) ?? '10');
        return events.pull(id, text(child(payload, 'Timeout')), Number.isInteger(limit) && limit > 0 ? limit : 10).then((answer) => {
          if ('xml' in answer) return this.okEvents(answer.xml);
          return answer.fault === 'unknown-subscription' ? unknown() : this.fault(400, 'Sender', 'ter:InvalidArgVal', answer.reason);
        });
      }
    }
  }

  /** The PTZ service (onvif.ptz.ts), unless the camera has none. */
  private dispatchPtz(operation: string, payload: unknown): HttpResponseLike {
    const ptz = this.camera.ptz;
    if (!ptz) return this.fault(400, 'Sender', 'ter:ActionNotSupported', 'Optional Action Not Implemented');
    const answer = answerPtz(ptz, operation, payload, this.camera.profileViews.map((p) => p.token), this.cameraNow());
    if ('fault' in answer) return this.fault(400, 'Sender', answer.fault, answer.reason);
    return { status: 200, headers: { 'Content-Type': SOAP_TYPE }, body: soapEnvelope(answer.xml, '', ['tt', 'tptz']) };
  }

  private envelopeEvents(body: string): string {
    return soapEnvelope(body, '', ['tt', 'tev', 'wsnt', 'wsa5', 'tns1', 'wstop']);
  }

  private okEvents(body: string): HttpResponseLike {
    return { status: 200, headers: { 'Content-Type': SOAP_TYPE }, body: this.envelopeEvents(body) };
  }

  private authenticate(authorization: string | undefined, header: unknown): 'ok' | HttpResponseLike {
    const creds = this.camera.credentials;
    const isNonce = (n: string): boolean => safeEqual(n, this.nonce);
    if (authorization !== undefined) {
      if (checkAuthorization(authorization, 'POST', creds, REALM, isNonce, false)) return 'ok';
      return this.unauthorized(401);
    }
    if (this.camera.quirks.digestOnly) return this.unauthorized(401);
    const ws = verifyUsernameToken(header, creds, { now: this.cameraNow() });
    if (ws === 'valid') return 'ok';
    if (ws === 'absent') return this.unauthorized(401);
    return this.unauthorized(400); // WS-Security refused: 400 + NotAuthorized, as in the ONVIF core spec
  }

  private dispatch(operation: string, payload: unknown): HttpResponseLike {
    const cam = this.camera;
    const views = cam.profileViews;
    const byToken = (): (typeof views)[number] | undefined => {
      const token = text(child(payload, 'ProfileToken'));
      return views.find((p) => p.token === token);
    };
    switch (operation) {
      case 'GetCapabilities':
        return this.ok(r.capabilities(cam.device, !cam.quirks.noEvents, cam.ptz !== undefined));
      case 'GetServices':
        return this.ok(r.services(cam.device, text(child(payload, 'IncludeCapability')) === 'true', !cam.quirks.noEvents, cam.ptz !== undefined));
      case 'GetDeviceInformation':
        return this.ok(r.deviceInformation(cam.device));
      case 'GetScopes':
        return this.ok(r.scopes(cam.device));
      case 'GetProfiles':
        return this.ok(r.profiles(views, cam.ptz !== undefined));
      case 'GetProfile': {
        const p = byToken();
        return p ? this.ok(r.profile(p, views[0], cam.ptz !== undefined)) : this.noProfile();
      }
      case 'GetVideoSources':
        return this.ok(r.videoSources(views[0]));
      case 'GetStreamUri': {
        const p = byToken();
        if (!p) return this.noProfile();
        const host = cam.quirks.natStreamUri ? natAddressFor(cam.index) : cam.host;
        return this.ok(r.mediaUri('GetStreamUri', `rtsp://${host}:${cam.rtspPort}/${p.path}`));
      }
      case 'GetSnapshotUri': {
        const p = byToken();
        if (!p) return this.noProfile();
        return this.ok(r.mediaUri('GetSnapshotUri', `${cam.device.baseUrl}${r.SNAPSHOT_PREFIX}${p.token}.jpg`));
      }
      default:
        return this.fault(400, 'Sender', 'ter:ActionNotSupported', 'Optional Action Not Implemented');
    }
  }

  private snapshot(req: HttpRequestLike): HttpResponseLike {
    const ok = checkAuthorization(req.authorization, 'GET', this.camera.credentials, REALM, (n) => safeEqual(n, this.nonce), true);
    if (!ok) return { status: 401, headers: { 'WWW-Authenticate': this.challenge(), 'Content-Type': 'text/plain' }, body: 'Unauthorized' };
    const token = req.path.slice(r.SNAPSHOT_PREFIX.length).replace(/\.jpg$/, '');
    const p = this.camera.profileViews.find((v) => v.token === token);
    if (!p) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' };
    return { status: 200, headers: { 'Content-Type': 'image/jpeg' }, body: p.jpeg };
  }

  private challenge(): string {
    return `Digest realm="${REALM}", qop="auth", nonce="${this.nonce}", algorithm=MD5`;
  }

  private ok(body: string): HttpResponseLike {
    return { status: 200, headers: { 'Content-Type': SOAP_TYPE }, body: soapEnvelope(body) };
  }

  private unauthorized(status: 400 | 401): HttpResponseLike {
    const headers: Record<string, string> = { 'Content-Type': SOAP_TYPE };
    if (status === 401) headers['WWW-Authenticate'] = this.challenge();
    return { status, headers, body: soapFault('Sender', 'ter:NotAuthorized', 'Sender not Authorized') };
  }

  private noProfile(): HttpResponseLike {
    return this.fault(400, 'Sender', 'ter:NoProfile', 'The requested profile token does not exist');
  }

  private fault(status: number, code: 'Sender' | 'Receiver', subcode: string, reason: string): HttpResponseLike {
    return { status, headers: { 'Content-Type': SOAP_TYPE }, body: soapFault(code, subcode, reason) };
  }
}
