import { randomUUID } from 'node:crypto';
import { escapeXml as x, parseXsDuration } from '@tiergate/onvif';
import { VIDEO_SOURCE_TOKEN } from './onvif.responses';

/**
 * The simulated camera's ONVIF Events service (PullPoint): subscriptions with a termination time, a queue per
 * subscription, PullMessages as a long poll (answers at once when something is queued, else at the first event
 * or at its Timeout), Renew and Unsubscribe. Like real cameras, a new subscription first gets the current state
 * of each property (`PropertyOperation="Initialized"`), then every change (`Changed`). Topics as Profile S
 * cameras send them: `tns1:VideoSource/MotionAlarm` and `tns1:VideoSource/GlobalSceneChange/ImagingService`,
 * each with a `Source` item (the video source token) and a boolean `State` item.
 */

export type SimEventKind = 'motion' | 'tamper';

const TOPIC: Record<SimEventKind, string> = {
  motion: 'tns1:VideoSource/MotionAlarm',
  tamper: 'tns1:VideoSource/GlobalSceneChange/ImagingService',
};

export const PULLPOINT_PREFIX = '/onvif/events/pullpoint/';

/** The camera caps a PullMessages wait at this (ONVIF: a device may answer earlier than asked). */
const MAX_PULL_WAIT_MS = 60_000;
const DEFAULT_TERMINATION_MS = 60_000;
const MAX_TERMINATION_MS = 3_600_000;
/** Like real cameras, only a few subscriptions at once: a new one past this replaces the oldest. */
const MAX_SUBSCRIPTIONS = 8;
const MAX_QUEUE = 100;

interface QueuedMessage {
  kind: SimEventKind;
  state: boolean;
  operation: 'Initialized' | 'Changed';
  at: Date;
}

interface Subscription {
  id: string;
  terminatesAt: number;
  queue: QueuedMessage[];
  waiter?: () => void;
}

export type EventsFault =
  | { fault: 'unknown-subscription' }
  | { fault: 'bad-request'; reason: string };

export class SimEvents {
  private readonly subs = new Map<string, Subscription>();
  private readonly state: Record<SimEventKind, boolean> = { motion: false, tamper: false };
  private readonly timers = new Set<NodeJS.Timeout>();

  /** `now`: the camera's clock (with its offset quirk). */
  constructor(private readonly now: () => Date) {}

  /** Subscriptions in force now (a test waits for the gateway's subscriber to be there). */
  get activeSubscriptions(): number {
    this.expire();
    return this.subs.size;
  }

  /** Sets motion or tamper on or off; a change goes to every subscription (a repeat of the same state too, as cameras re-send). */
  trigger(kind: SimEventKind, active: boolean): void {
    this.state[kind] = active;
    this.expire();
    for (const s of this.subs.values()) this.push(s, { kind, state: active, operation: 'Changed', at: this.now() });
  }

  create(initialTermination: string | undefined): { address: (base: string) => string; current: Date; termination: Date } {
    this.expire();
    if (this.subs.size >= MAX_SUBSCRIPTIONS) {
      const oldest = [...this.subs.values()].sort((a, b) => a.terminatesAt - b.terminatesAt)[0];
      this.drop(oldest.id);
    }
    const now = this.now();
    const sub: Subscription = { id: randomUUID(), terminatesAt: now.getTime() + this.terminationMs(initialTermination, now), queue: [] };
    for (const kind of ['motion', 'tamper'] as const) sub.queue.push({ kind, state: this.state[kind], operation: 'Initialized', at: now });
    this.subs.set(sub.id, sub);
    return { address: (base) => `${base}${PULLPOINT_PREFIX}${sub.id}`, current: now, termination: new Date(sub.terminatesAt) };
  }

  renew(id: string, termination: string | undefined): { current: Date; termination: Date } | EventsFault {
    const sub = this.live(id);
    if (!sub) return { fault: 'unknown-subscription' };
    const now = this.now();
    sub.terminatesAt = now.getTime() + this.terminationMs(termination, now);
    return { current: now, termination: new Date(sub.terminatesAt) };
  }

  unsubscribe(id: string): 'ok' | EventsFault {
    if (!this.live(id)) return { fault: 'unknown-subscription' };
    this.drop(id);
    return 'ok';
  }

  /** Long poll: resolves with up to `limit` messages, at once if any are queued, else at the first one or after the timeout. */
  async pull(id: string, timeout: string | undefined, limit: number): Promise<{ xml: string } | EventsFault> {
    const sub = this.live(id);
    if (!sub) return { fault: 'unknown-subscription' };
    const wait = parseXsDuration(timeout);
    if (wait === undefined) return { fault: 'bad-request', reason: 'Timeout must be an xs:duration' };
    if (sub.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => finish(), Math.min(wait, MAX_PULL_WAIT_MS));
        this.timers.add(t);
        const finish = (): void => {
          clearTimeout(t);
          this.timers.delete(t);
          if (sub.waiter === finish) sub.waiter = undefined;
          resolve();
        };
        sub.waiter = finish;
      });
    }
    if (!this.subs.has(id)) return { fault: 'unknown-subscription' };
    const messages = sub.queue.splice(0, Math.max(1, Math.min(limit, MAX_QUEUE)));
    const now = this.now();
    return { xml: pullMessagesResponse(now, new Date(sub.terminatesAt), messages) };
  }

  /** Ends every wait (the camera goes offline or stops). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const id of [...this.subs.keys()]) this.drop(id);
  }

  private push(sub: Subscription, m: QueuedMessage): void {
    sub.queue.push(m);
    if (sub.queue.length > MAX_QUEUE) sub.queue.shift();
    sub.waiter?.();
  }

  private live(id: string): Subscription | undefined {
    this.expire();
    return this.subs.get(id);
  }

  private drop(id: string): void {
    const sub = this.subs.get(id);
    this.subs.delete(id);
    sub?.waiter?.();
  }

  private expire(): void {
    const now = this.now().getTime();
    for (const s of [...this.subs.values()]) if (s.terminatesAt <= now) this.drop(s.id);
  }

  /** A relative duration or an absolute time; default 60 s, at most 1 h. */
  private terminationMs(value: string | undefined, now: Date): number {
    const rel = parseXsDuration(value);
    const abs = value !== undefined && rel === undefined ? Date.parse(value) - now.getTime() : undefined;
    const ms = rel ?? (abs !== undefined && Number.isFinite(abs) ? abs : DEFAULT_TERMINATION_MS);
    return Math.max(1000, Math.min(MAX_TERMINATION_MS, ms));
  }
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function notification(m: QueuedMessage): string {
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${TOPIC[m.kind]}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${iso(m.at)}" PropertyOperation="${m.operation}">` +
    `<tt:Source><tt:SimpleItem Name="Source" Value="${VIDEO_SOURCE_TOKEN}"/></tt:Source>` +
    `<tt:Data><tt:SimpleItem Name="State" Value="${m.state}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

export function pullMessagesResponse(current: Date, termination: Date, messages: readonly QueuedMessage[]): string {
  return (
    `<tev:PullMessagesResponse><tev:CurrentTime>${iso(current)}</tev:CurrentTime><tev:TerminationTime>${iso(termination)}</tev:TerminationTime>` +
    messages.map(notification).join('') +
    `</tev:PullMessagesResponse>`
  );
}

export function createPullPointResponse(address: string, current: Date, termination: Date): string {
  return (
    `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa5:Address>${x(address)}</wsa5:Address></tev:SubscriptionReference>` +
    `<wsnt:CurrentTime>${iso(current)}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(termination)}</wsnt:TerminationTime>` +
    `</tev:CreatePullPointSubscriptionResponse>`
  );
}

export function renewResponse(current: Date, termination: Date): string {
  return `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(termination)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(current)}</wsnt:CurrentTime></wsnt:RenewResponse>`;
}

export const unsubscribeResponse = (): string => `<wsnt:UnsubscribeResponse/>`;

/** GetEventProperties: the two topics this camera sends, with their message descriptions. */
export function eventPropertiesResponse(): string {
  const description = (item: string) =>
    `<tt:MessageDescription IsProperty="true"><tt:Source><tt:SimpleItemDescription Name="Source" Type="tt:ReferenceToken"/></tt:Source>` +
    `<tt:Data><tt:SimpleItemDescription Name="${item}" Type="xs:boolean"/></tt:Data></tt:MessageDescription>`;
  return (
    `<tev:GetEventPropertiesResponse>` +
    `<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>` +
    `<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>` +
    `<wstop:TopicSet><tns1:VideoSource><MotionAlarm wstop:topic="true">${description('State')}</MotionAlarm>` +
    `<GlobalSceneChange><ImagingService wstop:topic="true">${description('State')}</ImagingService></GlobalSceneChange></tns1:VideoSource></wstop:TopicSet>` +
    `<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>` +
    `<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete</wsnt:TopicExpressionDialect>` +
    `<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>` +
    `<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation>` +
    `</tev:GetEventPropertiesResponse>`
  );
}
