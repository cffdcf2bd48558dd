/** Pure RFC 6184 packetization (single NAL unit and FU-A) and RTP header writing. */

export const DEFAULT_MAX_PAYLOAD = 1400;

/** Splits one NAL unit (no start code) into RTP payloads. */
export function packetizeNal(nal: Buffer, maxPayload = DEFAULT_MAX_PAYLOAD): Buffer[] {
  if (nal.length <= maxPayload) return [nal];
  const header = nal[0];
  const fuIndicator = (header & 0xe0) | 28;
  const type = header & 0x1f;
  const out: Buffer[] = [];
  let offset = 1;
  const chunk = maxPayload - 2;
  while (offset < nal.length) {
    const end = Math.min(offset + chunk, nal.length);
    const start = offset === 1;
    const last = end === nal.length;
    const fuHeader = (start ? 0x80 : 0) | (last ? 0x40 : 0) | type;
    out.push(Buffer.concat([Buffer.from([fuIndicator, fuHeader]), nal.subarray(offset, end)]));
    offset = end;
  }
  return out;
}

/** STAP-A (RFC 6184 5.7.1): several small NAL units (e.g. SPS and PPS) in one payload. */
export function stapA(nals: readonly Buffer[]): Buffer {
  const nri = nals.reduce((m, n) => Math.max(m, n[0] & 0x60), 0);
  const parts: Buffer[] = [Buffer.from([nri | 24])];
  for (const n of nals) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(n.length);
    parts.push(len, n);
  }
  return Buffer.concat(parts);
}

export const RTP_HEADER_SIZE = 12;

/** Writes a 12-byte RTP header (version 2, no padding/extension/CSRC) into `target` at `offset`. */
export function writeRtpHeader(
  target: Buffer,
  offset: number,
  h: { marker: boolean; payloadType: number; sequence: number; timestamp: number; ssrc: number },
): void {
  target[offset] = 0x80;
  target[offset + 1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  target.writeUInt16BE(h.sequence & 0xffff, offset + 2);
  target.writeUInt32BE(h.timestamp >>> 0, offset + 4);
  target.writeUInt32BE(h.ssrc >>> 0, offset + 8);
}
