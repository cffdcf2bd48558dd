import { TiergateError, type CameraEventKind } from '@tiergate/domain';
import { deviceUrl, parseServiceXAddr, readDeviceAnswer } from '../soap/device-answer';
import { attr, child, children, text, xmlPath } from '../soap/xml';

/**
 * Pure ONVIF Events (PullPoint) codec: the request bodies a client sends (GetCapabilities for the events XAddr,
 * CreatePullPointSubscription, PullMessages, Renew, Unsubscribe) and the reading of what a camera answers, with
 * nothing trusted: every value is checked, every list capped, unknown topics ignored.
 */

export const EVENTS_NS = 'http://www.onvif.org/ver10/events/wsdl';
export const WSNT_NS = 'http://docs.oasis-open.org/wsn/b-2';


/** At most this many notifications are read from one PullMessages answer (the rest are dropped). */
export const MAX_NOTIFICATIONS_PER_PULL = 100;
/** Longest text kept from a camera's event (topic, source token). */
const MAX_EVENT_TEXT = 128;

/** ISO 8601 duration (`PT60S`, `PT1M30S`, `P1D`) in ms; undefined when it is not one (or absurd). */
export function parseXsDuration(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^P(?:(\d{1,4})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9}(?:\.\d{1,6})?)S)?)?$/.exec(s.trim());
  if (!m || s.trim() === 'P' || s.trim() === 'PT') return undefined;
  const ms = (((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** ms as an xs:duration (`PT20S`). */
export const xsDuration = (ms: number): string => `PT${Math.max(0, Math.round(ms / 1000))}S`;

export const eventsRequests = {
  getCapabilities: (): string =>
    `<GetCapabilities xmlns="http://www.onvif.org/ver10/device/wsdl"><Category>Events</Category></GetCapabilities>`,
  createPullPoint: (terminationMs: number): string =>
    `<CreatePullPointSubscription xmlns="${EVENTS_NS}"><InitialTerminationTime>${xsDuration(terminationMs)}</InitialTerminationTime></CreatePullPointSubscription>`,
  pullMessages: (timeoutMs: number, messageLimit: number): string =>
    `<PullMessages xmlns="${EVENTS_NS}"><Timeout>${xsDuration(timeoutMs)}</Timeout><MessageLimit>${Math.max(1, Math.floor(messageLimit))}</MessageLimit></PullMessages>`,
  renew: (terminationMs: number): string => `<Renew xmlns="${WSNT_NS}"><TerminationTime>${xsDuration(terminationMs)}</TerminationTime></Renew>`,
  unsubscribe: (): string => `<Unsubscribe xmlns="${WSNT_NS}"/>`,
};

/** The events service address from a GetCapabilities answer; undefined when the camera has none. */
export const parseEventsXAddr = (xml: string): URL | undefined => parseServiceXAddr(xml, 'Events');

export interface PullPointSubscription {
  /** Where PullMessages, Renew and Unsubscribe go. */
  address: URL;
  /** How long the subscription lives from now, by the camera's own two clocks (CurrentTime, TerminationTime). */
  lifetimeMs?: number;
}

/** Camera TerminationTime − CurrentTime (both the camera's clock), when both are there and sane. */
function lifetimeOf(node: unknown): number | undefined {
  const current = Date.parse(text(child(node, 'CurrentTime')) ?? '');
  const termination = Date.parse(text(child(node, 'TerminationTime')) ?? '');
  if (!Number.isFinite(current) || !Number.isFinite(termination)) return undefined;
  const ms = termination - current;
  return ms >= 0 && ms <= 7 * 86_400_000 ? ms : undefined;
}

export function parseCreatePullPoint(xml: string): PullPointSubscription {
  const msg = readDeviceAnswer(xml, 'CreatePullPointSubscriptionResponse', 'CreatePullPointSubscription');
  const address = deviceUrl(text(xmlPath(msg.payload, 'SubscriptionReference', 'Address')));
  if (!address) throw new TiergateError('CAMERA_PROTOCOL_ERROR', 'the camera answered CreatePullPointSubscription without a usable subscription address');
  return { address, lifetimeMs: lifetimeOf(msg.payload) };
}

export function parseRenew(xml: string): { lifetimeMs?: number } {
  const msg = readDeviceAnswer(xml, 'RenewResponse', 'Renew');
  return { lifetimeMs: lifetimeOf(msg.payload) };
}

export function parseUnsubscribe(xml: string): void {
  readDeviceAnswer(xml, 'UnsubscribeResponse', 'Unsubscribe');
}

/** One motion or tamper notification, as the camera sent it. */
export interface CameraNotification {
  kind: CameraEventKind;
  /** Active (true) or cleared (false). */
  state: boolean;
  /** Changed: a real change; Initialized: the state at subscription time; Deleted: the property is gone. */
  operation: 'Changed' | 'Initialized' | 'Deleted' | 'none';
  /** The camera's UtcTime of the event (its clock), when valid. */
  utcTime?: Date;
  /** The topic as sent, e.g. `tns1:VideoSource/MotionAlarm`. */
  topic: string;
  /** The video source (or rule) the event is about, when named. */
  source?: string;
}

/**
 * The topics Tiergate reads, by their path without namespace prefixes, and the data item that carries the state.
 * `VideoSource/MotionAlarm` (State) and `VideoSource/GlobalSceneChange/ImagingService` (State) are the Profile S
 * topics; `RuleEngine/CellMotionDetector/Motion` (IsMotion) and `RuleEngine/TamperDetector/Tamper` (IsTamper) are
 * the analytics ones many cameras send instead (Hikvision and HiWatch send CellMotionDetector, older D-Link only
 * MotionAlarm: dmitrif/onvif2mqtt#34).
 */
const TOPICS: readonly { path: string; kind: CameraEventKind; item: string }[] = [
  { path: 'VideoSource/MotionAlarm', kind: 'motion', item: 'State' },
  { path: 'RuleEngine/CellMotionDetector/Motion', kind: 'motion', item: 'IsMotion' },
  { path: 'VideoSource/GlobalSceneChange/ImagingService', kind: 'tamper', item: 'State' },
  { path: 'VideoSource/GlobalSceneChange/AnalyticsService', kind: 'tamper', item: 'State' },
  { path: 'RuleEngine/TamperDetector/Tamper', kind: 'tamper', item: 'IsTamper' },
];

/** `tns1:VideoSource/MotionAlarm` → `VideoSource/MotionAlarm` (every segment's prefix dropped). */
export function topicPath(topic: string): string {
  return topic
    .trim()
    .split('/')
    .map((seg) => seg.replace(/^[^:]*:/, ''))
    .join('/');
}

const items = (node: unknown): Map<string, string> => {
  const out = new Map<string, string>();
  for (const it of children(node, 'SimpleItem').slice(0, 16)) {
    const name = attr(it, 'Name');
    const value = attr(it, 'Value');
    if (name !== undefined && value !== undefined) out.set(name, value);
  }
  return out;
};

const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : /^(true|1)$/i.test(v.trim()) ? true : /^(false|0)$/i.test(v.trim()) ? false : undefined);

/** One NotificationMessage, if it is a motion or tamper event with a readable state. */
export function readNotification(node: unknown): CameraNotification | undefined {
  const topic = text(child(node, 'Topic'));
  if (!topic || topic.length > 512) return undefined;
  const path = topicPath(topic);
  const known = TOPICS.find((t) => t.path.toLowerCase() === path.toLowerCase());
  if (!known) return undefined;
  const message = child(child(node, 'Message'), 'Message');
  const state = bool(items(child(message, 'Data')).get(known.item));
  if (state === undefined) return undefined;
  const op = attr(message, 'PropertyOperation');
  const utcRaw = Date.parse(attr(message, 'UtcTime') ?? '');
  const utc = utcRaw >= 0 && utcRaw < 253402300800000 ? utcRaw : NaN; // years 1970..9999 only (an ISO string that validates)
  const source = [...items(child(message, 'Source')).values()][0];
  return {
    kind: known.kind,
    state,
    operation: op === 'Changed' || op === 'Initialized' || op === 'Deleted' ? op : 'none',
    ...(Number.isFinite(utc) ? { utcTime: new Date(utc) } : {}),
    topic: topic.trim().slice(0, MAX_EVENT_TEXT),
    ...(source ? { source: source.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_EVENT_TEXT) } : {}),
  };
}

export interface PullResult {
  /** The motion and tamper notifications of the answer, in order (others dropped). */
  notifications: CameraNotification[];
  /** Every NotificationMessage of the answer, read or not (at most MAX_NOTIFICATIONS_PER_PULL looked at). */
  received: number;
  lifetimeMs?: number;
}

export function parsePullMessages(xml: string): PullResult {
  const msg = readDeviceAnswer(xml, 'PullMessagesResponse', 'PullMessages');
  const all = children(msg.payload, 'NotificationMessage');
  const notifications: CameraNotification[] = [];
  for (const n of all.slice(0, MAX_NOTIFICATIONS_PER_PULL)) {
    const read = readNotification(n);
    if (read) notifications.push(read);
  }
  return { notifications, received: all.length, lifetimeMs: lifetimeOf(msg.payload) };
}
