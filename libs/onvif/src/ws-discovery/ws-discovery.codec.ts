import { randomUUID } from 'node:crypto';
import { TiergateError } from '@tiergate/domain';
import { NS } from '../soap/soap.envelope';
import { child, children, escapeXml as x, parseXml, text } from '../soap/xml';

/** Pure WS-Discovery (2005/04, as used by ONVIF) Probe and ProbeMatches codec. */

export const WS_DISCOVERY_PORT = 3702;
export const WS_DISCOVERY_MULTICAST = '239.255.255.250';
export const NVT_TYPE = 'dn:NetworkVideoTransmitter';
/** Datagrams larger than this are not WS-Discovery (SOAP-over-UDP messages are small). */
export const MAX_DISCOVERY_BYTES = 32 * 1024;

const ACTION_PROBE = `${NS.wsd}/Probe`;
const ACTION_PROBE_MATCHES = `${NS.wsd}/ProbeMatches`;
const TO_DISCOVERY = 'urn:schemas-xmlsoap-org:ws:2005:04:discovery';
const ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';

export interface Probe {
  readonly messageId: string;
  /** QNames as written (e.g. `dn:NetworkVideoTransmitter`); compare with `localName`. */
  readonly types: readonly string[];
  readonly scopes: readonly string[];
}

export interface ProbeMatch {
  readonly endpointReference: string;
  readonly types: readonly string[];
  readonly scopes: readonly string[];
  readonly xaddrs: readonly string[];
  readonly metadataVersion: number;
}

export interface ProbeMatches {
  readonly messageId: string;
  readonly relatesTo: string;
  readonly matches: readonly ProbeMatch[];
}

export const newMessageId = (): string => `urn:uuid:${randomUUID()}`;

/** Local part of a QName: `dn:NetworkVideoTransmitter` -> `NetworkVideoTransmitter`. */
export const localName = (qname: string): string => qname.slice(qname.lastIndexOf(':') + 1);

const envelope = (header: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>` +
  `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:wsa="${NS.wsa}" xmlns:wsd="${NS.wsd}" xmlns:dn="${NS.dn}" xmlns:tds="${NS.tds}">` +
  `<soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

const list = (items: readonly string[]): string => items.map(x).join(' ');

export function buildProbe(options: { messageId?: string; types?: readonly string[]; scopes?: readonly string[] } = {}): {
  messageId: string;
  xml: string;
} {
  const messageId = options.messageId ?? newMessageId();
  const types = options.types ?? [NVT_TYPE];
  const scopes = options.scopes ?? [];
  const xml = envelope(
    `<wsa:MessageID>${x(messageId)}</wsa:MessageID><wsa:To>${TO_DISCOVERY}</wsa:To><wsa:Action>${ACTION_PROBE}</wsa:Action>`,
    `<wsd:Probe>${types.length ? `<wsd:Types>${list(types)}</wsd:Types>` : ''}` +
      `${scopes.length ? `<wsd:Scopes>${list(scopes)}</wsd:Scopes>` : ''}</wsd:Probe>`,
  );
  return { messageId, xml };
}

export function buildProbeMatches(m: { relatesTo: string; messageId?: string; matches: readonly ProbeMatch[] }): string {
  return envelope(
    `<wsa:MessageID>${x(m.messageId ?? newMessageId())}</wsa:MessageID><wsa:RelatesTo>${x(m.relatesTo)}</wsa:RelatesTo>` +
      `<wsa:To>${ANONYMOUS}</wsa:To><wsa:Action>${ACTION_PROBE_MATCHES}</wsa:Action>`,
    `<wsd:ProbeMatches>` +
      m.matches
        .map(
          (pm) =>
            `<wsd:ProbeMatch><wsa:EndpointReference><wsa:Address>${x(pm.endpointReference)}</wsa:Address></wsa:EndpointReference>` +
            `<wsd:Types>${list(pm.types)}</wsd:Types><wsd:Scopes>${list(pm.scopes)}</wsd:Scopes>` +
            `<wsd:XAddrs>${list(pm.xaddrs)}</wsd:XAddrs><wsd:MetadataVersion>${pm.metadataVersion}</wsd:MetadataVersion></wsd:ProbeMatch>`,
        )
        .join('') +
      `</wsd:ProbeMatches>`,
  );
}

const words = (node: unknown): string[] => (text(node) ?? '').split(/\s+/).filter((w) => w.length > 0);

function parseEnvelope(xml: string | Buffer): { header: unknown; body: unknown } {
  const doc = parseXml(xml, { maxBytes: MAX_DISCOVERY_BYTES });
  const env = child(doc, 'Envelope');
  const body = child(env, 'Body');
  if (!body || typeof body !== 'object') throw new TiergateError('VALIDATION_FAILED', 'not a SOAP envelope');
  return { header: child(env, 'Header'), body };
}

/** Parses a Probe; throws TiergateError for malformed/hostile input, returns undefined for another message. */
export function parseProbe(xml: string | Buffer): Probe | undefined {
  const { header, body } = parseEnvelope(xml);
  const probe = child(body, 'Probe');
  if (probe === undefined) return undefined;
  const messageId = text(child(header, 'MessageID'));
  if (!messageId) throw new TiergateError('VALIDATION_FAILED', 'Probe without MessageID');
  return { messageId, types: words(child(probe, 'Types')), scopes: words(child(probe, 'Scopes')) };
}

/** Parses ProbeMatches; throws TiergateError for malformed/hostile input, returns undefined for another message. */
export function parseProbeMatches(xml: string | Buffer): ProbeMatches | undefined {
  const { header, body } = parseEnvelope(xml);
  const pms = child(body, 'ProbeMatches');
  if (pms === undefined) return undefined;
  const matches: ProbeMatch[] = [];
  for (const pm of children(pms, 'ProbeMatch')) {
    const endpointReference = text(child(child(pm, 'EndpointReference'), 'Address'));
    if (!endpointReference) continue;
    const version = Number(text(child(pm, 'MetadataVersion')) ?? '0');
    matches.push({
      endpointReference,
      types: words(child(pm, 'Types')),
      scopes: words(child(pm, 'Scopes')),
      xaddrs: words(child(pm, 'XAddrs')),
      metadataVersion: Number.isFinite(version) ? version : 0,
    });
  }
  return {
    messageId: text(child(header, 'MessageID')) ?? '',
    relatesTo: text(child(header, 'RelatesTo')) ?? '',
    matches,
  };
}

/**
 * Whether a device with these types and scopes answers a probe: every probed type (by local name) is
 * among the device's, and every probed scope is a segment-wise prefix of one of the device's (RFC 3986 rule).
 */
export function probeMatchesDevice(probe: Probe, device: { types: readonly string[]; scopes: readonly string[] }): boolean {
  const deviceTypes = new Set(device.types.map(localName));
  if (!probe.types.every((t) => deviceTypes.has(localName(t)))) return false;
  const segments = (s: string): string[] => s.replace(/\/+$/, '').split('/');
  return probe.scopes.every((scope) => {
    const want = segments(scope);
    return device.scopes.some((have) => {
      const got = segments(have);
      return want.length <= got.length && want.every((w, i) => (i < 3 ? w.toLowerCase() === got[i].toLowerCase() : w === got[i]));
    });
  });
}
