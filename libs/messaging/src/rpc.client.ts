import { Logger } from '@nestjs/common';
import { ClientMqtt, MqttOptions, ServerMqtt } from '@nestjs/microservices';
import type { MqttClient } from 'mqtt';
import { firstValueFrom, timeout } from 'rxjs';
import { TiergateError } from '@tiergate/domain';
import { BusEnvelopes, EnvelopeRefused, ReplayGuard } from './bus-envelope';

/** Replies are bound to this pseudo-topic; the request id inside the signed body ties one to its request. */
const REPLY_BINDING = 'nest-reply';

type ClientOptions = Required<MqttOptions>['options'];

/** Signs each outgoing Nest packet (a request bound to its pattern, a reply to REPLY_BINDING). */
class SigningSerializer {
  constructor(
    private readonly envelopes: BusEnvelopes,
    private readonly sender: string,
    private readonly bindingOf: (packet: { pattern?: unknown }) => string,
  ) {}
  serialize(packet: { pattern?: unknown; data?: unknown }): string {
    return this.envelopes.sign(this.bindingOf(packet), packet, this.sender);
  }
}

function opened(envelopes: BusEnvelopes, binding: string, buffer: Buffer, guard: ReplayGuard): { body: unknown } | EnvelopeRefused {
  try {
    return envelopes.open(binding, JSON.parse(buffer.toString('utf8')), guard);
  } catch (e) {
    return e instanceof EnvelopeRefused ? e : new EnvelopeRefused('malformed');
  }
}

/**
 * Nest's MQTT client for commands to other apps. Every request is a signed envelope and every reply must
 * be one (else it is dropped and the request times out).
 *
 * It also keeps the reply subscription: Nest unsubscribes from the reply topic when no request is
 * pending and subscribes again on the next one; aedes loses a subscription made right after an
 * unsubscribe (STACK-NOTES.md), so the next request would hang. Keeping it also makes request/reply faster.
 */
export class StickyReplyClientMqtt extends ClientMqtt {
  private readonly guard = new ReplayGuard();
  private readonly refusals = new Logger('CommandClient');

  constructor(
    options: ClientOptions,
    private readonly envelopes: BusEnvelopes,
  ) {
    super({ ...options, serializer: new SigningSerializer(envelopes, String(options.clientId ?? 'client'), (p) => String(p.pattern)) });
  }

  override createResponseCallback(): (channel: string, buffer: Buffer) => any {
    const deliver = super.createResponseCallback();
    return async (channel: string, buffer: Buffer) => {
      const result = opened(this.envelopes, REPLY_BINDING, buffer, this.guard);
      if (result instanceof EnvelopeRefused) return void this.refusals.warn(`refused a reply on ${channel}: ${result.reason} (not acted on)`);
      return deliver(channel, Buffer.from(JSON.stringify(result.body)));
    };
  }

  protected override unsubscribeFromChannel(channel: string): void {
    const count = this.subscriptionsCount.get(channel) ?? 1;
    this.subscriptionsCount.set(channel, Math.max(1, count - 1));
  }
}

/**
 * Nest's MQTT server for the @MessagePattern commands an app answers: a command that is not a valid
 * signed envelope (unsigned, wrong signature, outside the freshness window, replayed) is logged and never
 * reaches a handler; replies are signed. Use as `connectMicroservice({ strategy: new SignedServerMqtt(…) })`.
 */
export class SignedServerMqtt extends ServerMqtt {
  private readonly guard = new ReplayGuard();

  constructor(
    options: ClientOptions,
    private readonly envelopes: BusEnvelopes,
    sender: string,
  ) {
    super({ ...options, serializer: new SigningSerializer(envelopes, sender, () => REPLY_BINDING) });
  }

  override async handleMessage(channel: string, buffer: Buffer, pub: MqttClient, originalPacket?: Record<string, any>): Promise<any> {
    const result = opened(this.envelopes, channel, buffer, this.guard);
    if (result instanceof EnvelopeRefused) return void this.logger.warn?.(`refused a command on ${channel}: ${result.reason} (not acted on)`);
    return super.handleMessage(channel, Buffer.from(JSON.stringify(result.body)), pub, originalPacket);
  }
}

/** A reply that carries a domain error across the broker. */
export interface RpcErrorReply {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Sends a request and waits for its reply; a remote TiergateError comes back as one. */
export async function request<T>(client: ClientMqtt, pattern: string, payload: unknown, timeoutMs: number): Promise<T> {
  let reply: T | RpcErrorReply;
  try {
    reply = await firstValueFrom(client.send<T | RpcErrorReply>(pattern, payload).pipe(timeout(timeoutMs)));
  } catch (e) {
    if ((e as Error)?.name === 'TimeoutError') {
      throw new TiergateError('SERVICE_UNAVAILABLE', `no answer from the service behind ${pattern.split('/').slice(-2).join('/')} within ${timeoutMs} ms`);
    }
    throw new TiergateError('SERVICE_UNAVAILABLE', `request ${pattern} failed: ${(e as Error)?.message ?? e}`, undefined, { cause: e });
  }
  if (reply && typeof reply === 'object' && 'error' in reply && (reply as RpcErrorReply).error) {
    const { code, message, details } = (reply as RpcErrorReply).error;
    throw new TiergateError(TiergateError.isErrorCode(code) ? code : 'INTERNAL', message, details);
  }
  return reply as T;
}

/** Wraps a message handler so that a thrown TiergateError travels back as a reply instead of a timeout. */
export async function replyOf<T>(work: () => Promise<T>): Promise<T | RpcErrorReply> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof TiergateError) return { error: { code: e.code, message: e.message, details: e.details } };
    return { error: { code: 'INTERNAL', message: 'internal error' } };
  }
}
