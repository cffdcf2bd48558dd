import { TiergateError } from '@tiergate/domain';

/**
 * The one shape of a failed request on the bus, whatever failed: the handler threw (its TiergateError's
 * code and message; anything else is `INTERNAL`), the request or the reply did not validate against its
 * contract (`VALIDATION_FAILED` / `INTERNAL`). A successful reply is the reply payload itself.
 */
export interface ErrorReply {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
/** The former name, kept for callers that still use it. */
export type RpcErrorReply = ErrorReply;

export function isErrorReply(reply: unknown): reply is ErrorReply {
  const e = (reply as ErrorReply | null)?.error;
  return typeof reply === 'object' && reply !== null && typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string';
}

/** The error reply for what a handler threw: a TiergateError travels with its code; anything else is hidden. */
export function errorReplyOf(e: unknown): ErrorReply {
  if (e instanceof TiergateError) return { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
  return { error: { code: 'INTERNAL', message: 'internal error' } };
}

/** The reply's value, or its error thrown as the TiergateError it was on the other side. */
export function unwrapReply<T>(reply: T | ErrorReply): T {
  if (!isErrorReply(reply)) return reply;
  const { code, message, details } = reply.error;
  throw new TiergateError(TiergateError.isErrorCode(code) ? code : 'INTERNAL', message, details);
}
