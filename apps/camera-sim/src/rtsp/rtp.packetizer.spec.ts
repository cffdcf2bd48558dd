import { packetizeNal, writeRtpHeader } from './rtp.packetizer';

describe('RTP H.264 packetizer', () => {
  it('keeps small NAL units whole', () => {
    const nal = Buffer.from([0x65, 1, 2, 3]);
    expect(packetizeNal(nal, 100)).toEqual([nal]);
  });

  it('fragments large NAL units into FU-A with start/end bits, reassembling to the original', () => {
    const nal = Buffer.concat([Buffer.from([0x65]), Buffer.alloc(250, 7)]);
    const parts = packetizeNal(nal, 100);
    expect(parts.length).toBe(3);
    expect(parts.every((p) => p.length <= 100 && p[0] === ((0x65 & 0xe0) | 28))).toBe(true);
    expect(parts.map((p) => p[1] & 0xc0)).toEqual([0x80, 0x00, 0x40]);
    expect(parts.every((p) => (p[1] & 0x1f) === 5)).toBe(true);
    const rebuilt = Buffer.concat([Buffer.from([(parts[0][0] & 0xe0) | (parts[0][1] & 0x1f)]), ...parts.map((p) => p.subarray(2))]);
    expect(rebuilt).toEqual(nal);
  });

  it('writes the RTP header', () => {
    const b = Buffer.alloc(12);
    writeRtpHeader(b, 0, { marker: true, payloadType: 96, sequence: 0x1_0001, timestamp: 0x1_0000_0002, ssrc: 0xdeadbeef });
    expect(b.toString('hex')).toBe('80e0000100000002deadbeef');
  });
});
