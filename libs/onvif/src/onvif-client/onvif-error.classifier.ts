import { redactUrl, TiergateError } from '@tiergate/domain';
import { deviceFaultOf } from '../net/device-io';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Pure: maps whatever the ONVIF client threw to one TiergateError. The message names the camera
 * address and the kind of failure, never the password (the client's own text is not trusted to be clean).
 */
export function classifyOnvifFailure(error: unknown, where: string, secrets: readonly string[] = []): TiergateError {
  if (error instanceof TiergateError) return error;
  // Our own limits closed the socket: the device sent too much, or too slowly. Not "unreachable": it answered.
  const fault = deviceFaultOf(error);
  if (fault) return new TiergateError('CAMERA_PROTOCOL_ERROR', `camera at ${where} sent an ${fault.message}`, undefined, { cause: fault });
  const e = error as { code?: string; message?: string } | undefined;
  const message = String(e?.message ?? error ?? '');
  const scrub = (s: string): string => secrets.filter((x) => x.length > 0).reduce((acc, x) => acc.split(x).join('***'), redactUrl(s)).slice(0, 200);
  if ((e?.code && UNREACHABLE_CODES.has(e.code)) || /network timeout|socket hang up|timed? ?out/i.test(message)) {
    return new TiergateError('CAMERA_UNREACHABLE', `camera at ${where} is unreachable (${e?.code ?? 'timeout'})`);
  }
  if (/not ?authori[sz]ed|authentication failed|unauthori[sz]ed|401|sender not authorized|wrong password/i.test(message)) {
    return new TiergateError('CAMERA_UNAUTHORIZED', `camera at ${where} refused the username or password`);
  }
  return new TiergateError('CAMERA_PROTOCOL_ERROR', `camera at ${where} answered something that is not valid ONVIF: ${scrub(message) || 'unknown error'}`);
}
