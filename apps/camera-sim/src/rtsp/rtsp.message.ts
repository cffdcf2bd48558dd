/** Pure RTSP 1.0 request parsing and response formatting. */

export const MAX_HEADER_BYTES = 8192;
export const MAX_BODY_BYTES = 4096;

export interface RtspRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>; // lower-case names
  readonly body: Buffer;
}

export type ParseStep =
  | { kind: 'need-more' }
  | { kind: 'request'; request: RtspRequest; consumed: number }
  | { kind: 'interleaved'; channel: number; payload: Buffer; consumed: number }
  | { kind: 'error'; reason: string };

/** Takes the next message (RTSP request or `$`-interleaved binary frame) from the head of `buf`. */
export function parseNext(buf: Buffer): ParseStep {
  if (buf.length === 0) return { kind: 'need-more' };
  if (buf[0] === 0x24) {
    if (buf.length < 4) return { kind: 'need-more' };
    const len = buf.readUInt16BE(2);
    if (buf.length < 4 + len) return { kind: 'need-more' };
    return { kind: 'interleaved', channel: buf[1], payload: buf.subarray(4, 4 + len), consumed: 4 + len };
  }
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > MAX_HEADER_BYTES ? { kind: 'error', reason: 'header too large' } : { kind: 'need-more' };
  if (end > MAX_HEADER_BYTES) return { kind: 'error', reason: 'header too large' };
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const start = /^([A-Z_]{1,32}) (\S{1,2048}) RTSP\/1\.0$/.exec(lines[0]);
  if (!start) return { kind: 'error', reason: 'bad request line' };
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const idx = line.indexOf(':');
    if (idx <= 0) return { kind: 'error', reason: 'bad header line' };
    headers[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
  }
  const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
  if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) return { kind: 'error', reason: 'bad content-length' };
  const total = end + 4 + length;
  if (buf.length < total) return { kind: 'need-more' };
  return {
    kind: 'request',
    request: { method: start[1], url: start[2], headers, body: buf.subarray(end + 4, total) },
    consumed: total,
  };
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function formatResponse(
  status: number,
  cseq: string | undefined,
  headers: ReadonlyArray<readonly [string, string]> = [],
  body = '',
): Buffer {
  const lines = [`RTSP/1.0 ${status} ${REASONS[status] ?? 'Error'}`];
  if (cseq !== undefined && /^\d{1,10}$/.test(cseq)) lines.push(`CSeq: ${cseq}`);
  lines.push('Server: tiergate-camera-sim', `Date: ${new Date().toUTCString()}`);
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  if (body) lines.push('Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'utf8');
}

export interface TransportSpec {
  readonly mode: 'tcp' | 'udp';
  readonly interleaved?: readonly [number, number];
  readonly clientPorts?: readonly [number, number];
}

/** Picks the first acceptable unicast transport offered in a `Transport` header, or undefined. */
export function parseTransport(header: string | undefined): TransportSpec | undefined {
  if (!header) return undefined;
  for (const option of header.split(',')) {
    const parts = option.trim().split(';').map((p) => p.trim());
    const proto = parts[0].toUpperCase();
    if (parts.some((p) => p.toLowerCase() === 'multicast')) continue;
    const param = (name: string): string | undefined =>
      parts.find((p) => p.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1);
    const range = (v: string | undefined): [number, number] | undefined => {
      const m = v ? /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(v) : null;
      if (!m) return undefined;
      const a = Number(m[1]);
      const b = m[2] === undefined ? a + 1 : Number(m[2]);
      return a <= 65535 && b <= 65535 ? [a, b] : undefined;
    };
    if (proto === 'RTP/AVP/TCP') {
      const il = range(param('interleaved')) ?? [0, 1];
      if (il[0] > 255 || il[1] > 255) continue;
      return { mode: 'tcp', interleaved: il };
    }
    if (proto === 'RTP/AVP' || proto === 'RTP/AVP/UDP') {
      const cp = range(param('client_port'));
      if (cp && cp[0] > 0) return { mode: 'udp', clientPorts: cp };
    }
  }
  return undefined;
}
