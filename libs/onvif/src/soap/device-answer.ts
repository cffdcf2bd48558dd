import { TiergateError } from '@tiergate/domain';
import { DEVICE_LIMITS } from '../net/device-io';
import { parseSoap, readFault, SoapMessage } from './soap.envelope';
import { text, xmlPath } from './xml';

/**
 * Reading one answer of a camera to a SOAP request, trusting nothing, for every client beside the onboarding (events,
 * PTZ): parsed by the safe parser within `DEVICE_LIMITS.soapAnswerBytes`; a fault is CAMERA_PROTOCOL_ERROR naming its
 * subcode (cleaned, at most 80 characters; also in `details.cameraFault`), never the camera's whole text; an answer
 * to another operation is one too.
 */
export function readDeviceAnswer(xml: string, operation: string, what: string): SoapMessage {
  let msg: SoapMessage;
  try {
    msg = parseSoap(xml, { maxBytes: DEVICE_LIMITS.soapAnswerBytes }); // the socket is capped there too (device-io)
  } catch (e) {
    throw new TiergateError('CAMERA_PROTOCOL_ERROR', `the camera answered ${what} with something that is not SOAP`, undefined, { cause: e });
  }
  const fault = readFault(msg);
  if (fault) {
    const clean = (s: string | undefined) => (s ?? '').replace(/[^\w:. -]/g, '').slice(0, 80);
    const subcode = clean(fault.subcode) || clean(fault.code) || 'fault';
    throw new TiergateError('CAMERA_PROTOCOL_ERROR', `the camera refused ${what}: ${subcode}${fault.reason ? ` (${clean(fault.reason)})` : ''}`, { cameraFault: subcode });
  }
  if (msg.operation !== operation) throw new TiergateError('CAMERA_PROTOCOL_ERROR', `the camera answered ${what} with ${msg.operation.slice(0, 60)}`);
  return msg;
}

/** Whether a non-200 answer says the camera has no such service or operation (no events, not a PTZ camera). */
export const saysNotSupported = (status: number, body: string): boolean => status !== 200 && /ActionNotSupported|NoSuchService|ActionNotImplemented/i.test(body.slice(0, 4096));

/** A URL a camera gave us, if it is plain http(s) and at most 2,048 characters. */
export function deviceUrl(s: string | undefined): URL | undefined {
  if (!s || s.length > 2048) return undefined;
  try {
    const u = new URL(s.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** A service's address (Capabilities/<service>/XAddr) from a GetCapabilities answer; undefined when it has none. */
export function parseServiceXAddr(xml: string, service: 'Events' | 'PTZ'): URL | undefined {
  const msg = readDeviceAnswer(xml, 'GetCapabilitiesResponse', 'GetCapabilities');
  return deviceUrl(text(xmlPath(msg.payload, 'Capabilities', service, 'XAddr')));
}
