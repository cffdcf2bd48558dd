import { ClientMqtt } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { TiergateError } from '@tiergate/domain';

/**
 * Nest's MQTT client unsubscribes from the reply topic when no request is pending and subscribes again
 * on the next one; aedes loses a subscription made right after an unsubscribe (STACK-NOTES.md), so the
 * next request would hang. Keeping the reply subscription avoids it and makes request/reply faster.
 */
export class StickyReplyClientMqtt extends ClientMqtt {
  protected override unsubscribeFromChannel(channel: string): void {
    const count = (this as any).subscriptionsCount.get(channel) ?? 1;
    (this as any).subscriptionsCount.set(channel, Math.max(1, count - 1));
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
