import { saysNotSupported } from '../soap/device-answer';
import { SoapAnswer, SoapChannel, SoapTarget } from '../soap/soap-channel';
import {
  eventsRequests,
  parseCreatePullPoint,
  parseEventsXAddr,
  parsePullMessages,
  parseRenew,
  parseUnsubscribe,
  PullPointSubscription,
  PullResult,
} from './events.codec';

/** The camera; `timeoutMs` is the deadline of every call but PullMessages (which gets its own wait plus this). */
export type EventsTarget = SoapTarget;

const ACTION = {
  create: 'http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest',
  pull: 'http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest',
  renew: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest',
  unsubscribe: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest',
};

/**
 * The ONVIF Events client (PullPoint) of one camera: the events address (GetCapabilities), CreatePullPointSubscription,
 * PullMessages as a long poll, Renew and Unsubscribe. Transport, authentication, caps and deadlines: SoapChannel
 * (PullMessages gets its wait plus `timeoutMs`); every answer is parsed by the safe SOAP parser and checked
 * (events.codec.ts), a failure there is one TiergateError without the password. Every address the camera names is
 * reached at the host and port we reached it at (a NAT-ed camera names its private address), as the onboarding
 * does (`preserveAddress`).
 *
 * Not the npm `onvif` package's own event loop: it fixes the wait at one minute and the subscription at two, and
 * reads answers by indexing into them inside its callbacks (a hostile answer throws there, out of reach).
 */
export class PullPointClient {
  private readonly channel: SoapChannel;
  private readonly timeoutMs: number;

  constructor(target: EventsTarget) {
    this.channel = new SoapChannel(target);
    this.timeoutMs = target.timeoutMs;
  }

  get where(): string {
    return this.channel.where;
  }

  /** Anonymous GetSystemDateAndTime: the camera's clock for the tokens (read again at each subscription). */
  readClock(signal?: AbortSignal): Promise<void> {
    return this.channel.readClock(signal);
  }

  /** The events service address, or undefined when the camera has none (no Events in GetCapabilities, or refused). */
  async eventsAddress(signal?: AbortSignal): Promise<URL | undefined> {
    const answer = await this.channel.call(this.channel.at('/onvif/device_service'), eventsRequests.getCapabilities(), { signal });
    if (saysNotSupported(answer.status, answer.body)) return undefined;
    const url = this.read(answer, parseEventsXAddr);
    return url && this.channel.at(url.pathname + url.search);
  }

  async createPullPoint(events: URL, terminationMs: number, signal?: AbortSignal): Promise<PullPointSubscription> {
    const answer = await this.channel.call(events, eventsRequests.createPullPoint(terminationMs), { action: ACTION.create, signal });
    const sub = this.read(answer, parseCreatePullPoint);
    return { ...sub, address: this.channel.at(sub.address.pathname + sub.address.search) };
  }

  /** Waits up to `waitMs` for events (the camera answers earlier when it has some); the socket closes at waitMs + timeoutMs. */
  async pull(sub: PullPointSubscription, waitMs: number, messageLimit: number, signal?: AbortSignal): Promise<PullResult> {
    const answer = await this.channel.call(sub.address, eventsRequests.pullMessages(waitMs, messageLimit), { action: ACTION.pull, deadlineMs: waitMs + this.timeoutMs, signal });
    return this.read(answer, parsePullMessages);
  }

  async renew(sub: PullPointSubscription, terminationMs: number, signal?: AbortSignal): Promise<{ lifetimeMs?: number }> {
    const answer = await this.channel.call(sub.address, eventsRequests.renew(terminationMs), { action: ACTION.renew, signal });
    return this.read(answer, parseRenew);
  }

  async unsubscribe(sub: PullPointSubscription, signal?: AbortSignal): Promise<void> {
    const answer = await this.channel.call(sub.address, eventsRequests.unsubscribe(), { action: ACTION.unsubscribe, signal });
    this.read(answer, parseUnsubscribe);
  }

  private read<T>(answer: SoapAnswer, parse: (xml: string) => T): T {
    try {
      return parse(answer.body);
    } catch (e) {
      throw this.channel.failure(e);
    }
  }
}
