import { TiergateError } from '@tiergate/domain';
import { child, escapeXml, parseXml, ParseXmlOptions, text, XmlNode } from './xml';

/** Pure SOAP 1.2 envelope building and parsing. */

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
  wsa5: 'http://www.w3.org/2005/08/addressing',
  tns1: 'http://www.onvif.org/ver10/topics',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
} as const;

export type NsPrefix = keyof typeof NS;

/** Wraps body (and optional header) XML in a SOAP 1.2 envelope declaring the given prefixes. */
export function soapEnvelope(body: string, header = '', prefixes: readonly NsPrefix[] = ['tds', 'trt', 'tt']): string {
  const decl = [...new Set<NsPrefix>(['soap', ...prefixes])].map((p) => ` xmlns:${p}="${NS[p]}"`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope${decl}>` +
    (header ? `<soap:Header>${header}</soap:Header>` : '') +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/**
 * A SOAP 1.2 envelope with WS-Addressing (2005/08) Action and To when given, and a security header (a
 * WS-UsernameToken) when given: what the clients beside the onboarding send (events, PTZ).
 */
export function addressedEnvelope(body: string, opts: { security?: string; to?: string; action?: string } = {}): string {
  const header =
    (opts.action ? `<wsa:Action>${escapeXml(opts.action)}</wsa:Action>` : '') + (opts.to ? `<wsa:To>${escapeXml(opts.to)}</wsa:To>` : '') + (opts.security ?? '');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${NS.soap}" xmlns:wsa="${NS.wsa5}">` +
    (header ? `<soap:Header>${header}</soap:Header>` : '') +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

export type FaultCode = 'Sender' | 'Receiver';

/** A SOAP 1.2 fault with an ONVIF subcode such as `ter:NotAuthorized` or `ter:ActionNotSupported`. */
export function soapFault(code: FaultCode, subcode: string, reason: string): string {
  const sub = /^[A-Za-z]+:[A-Za-z]+$/.test(subcode) ? subcode : `ter:${subcode.replace(/[^A-Za-z]/g, '')}`;
  return soapEnvelope(
    `<soap:Fault><soap:Code><soap:Value>soap:${code}</soap:Value>` +
      `<soap:Subcode><soap:Value>${sub}</soap:Value></soap:Subcode></soap:Code>` +
      `<soap:Reason><soap:Text xml:lang="en">${escapeXml(reason)}</soap:Text></soap:Reason></soap:Fault>`,
    '',
    ['ter'],
  );
}

export interface SoapMessage {
  readonly header: XmlNode | undefined;
  readonly body: XmlNode;
  /** Local name of the first element in the body (the operation), e.g. `GetProfiles`. */
  readonly operation: string;
  /** That element. */
  readonly payload: unknown;
}

/** Parses an untrusted SOAP envelope (see `parseXml` for the safety rules). */
export function parseSoap(xml: string | Buffer, options?: ParseXmlOptions): SoapMessage {
  const doc = parseXml(xml, options);
  const envelope = child(doc, 'Envelope');
  const body = child(envelope, 'Body');
  if (!body || typeof body !== 'object') throw new TiergateError('VALIDATION_FAILED', 'not a SOAP envelope');
  const operation = Object.keys(body).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!operation) throw new TiergateError('VALIDATION_FAILED', 'SOAP body is empty');
  const header = child(envelope, 'Header');
  return {
    header: header && typeof header === 'object' ? (header as XmlNode) : undefined,
    body: body as XmlNode,
    operation,
    payload: child(body, operation),
  };
}

/** Reads a fault from a parsed message, if it is one. */
export function readFault(msg: SoapMessage): { code?: string; subcode?: string; reason?: string } | undefined {
  if (msg.operation !== 'Fault') return undefined;
  const f = msg.payload;
  const code = child(f, 'Code');
  return {
    code: text(child(code, 'Value')),
    subcode: text(child(child(code, 'Subcode'), 'Value')),
    reason: text(child(child(f, 'Reason'), 'Text')),
  };
}
