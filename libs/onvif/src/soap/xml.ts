import { XMLParser } from 'fast-xml-parser';
import { TiergateError } from '@tiergate/domain';

/** Pure XML helpers for SOAP: safe parsing (no DTD, no entity expansion, size cap) and escaping. */

export const DEFAULT_MAX_XML_BYTES = 64 * 1024;

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false, // keep every value a string: a 20-digit serial must not become a number
  parseAttributeValue: false,
  trimValues: true,
  textNodeName: '#text',
});

export interface ParseXmlOptions {
  readonly maxBytes?: number;
}

/**
 * Parses untrusted XML. Refuses bodies over `maxBytes` (PAYLOAD_TOO_LARGE), any DOCTYPE or ENTITY
 * declaration (billion laughs, external entities) and malformed input (VALIDATION_FAILED).
 * Namespace prefixes are removed; values stay strings; the five predefined entities are decoded.
 */
export function parseXml(input: string | Buffer, options: ParseXmlOptions = {}): XmlNode {
  const max = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > max) throw new TiergateError('PAYLOAD_TOO_LARGE', `XML body exceeds ${max} bytes`);
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new TiergateError('VALIDATION_FAILED', 'XML with a DTD is not accepted');
  let parsed: unknown;
  try {
    parsed = parser.parse(text, true);
  } catch (err) {
    throw new TiergateError('VALIDATION_FAILED', 'malformed XML', undefined, { cause: err });
  }
  if (!parsed || typeof parsed !== 'object') throw new TiergateError('VALIDATION_FAILED', 'empty XML document');
  return decodeEntities(parsed) as XmlNode;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e];
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

function decodeEntities(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('&') ? decodeText(v) : v;
  if (Array.isArray(v)) return v.map(decodeEntities);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[k] = decodeEntities(val);
    return out;
  }
  return v;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Child element by local name (first one if repeated). */
export function child(node: unknown, name: string): unknown {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  return Array.isArray(v) ? v[0] : v;
}

/** All children with this local name. */
export function children(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Text content of an element (string, or `#text` of an element with attributes). */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object') {
    const t = (node as XmlNode)['#text'];
    if (typeof t === 'string') return t;
    if (Object.keys(node).every((k) => k.startsWith('@_'))) return '';
  }
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** Follows a path of local names: `path(doc, 'Envelope', 'Body')`. */
export function xmlPath(node: unknown, ...names: string[]): unknown {
  return names.reduce<unknown>((n, name) => child(n, name), node);
}
