import type { Socket as DgramSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import type { PacketizedFrame } from './h264.source';
import { RTP_HEADER_SIZE, writeRtpHeader } from './rtp.packetizer';
import { PAYLOAD_TYPE } from './sdp.builder';
import type { FrameSink, StreamPacer } from './stream.pacer';

/** A TCP client that lets this much data pile up unsent is behind: it skips to the next keyframe. */
const MAX_TCP_BACKLOG = 2 * 1024 * 1024;

abstract class RtpSink implements FrameSink {
  readonly ssrc = randomInt(1, 0x7fffffff);
  sequence = randomInt(0, 0xffff);

  constructor(protected readonly pacer: StreamPacer) {}

  abstract onFrame(frame: PacketizedFrame, timestamp: number): void;

  protected nextSequence(): number {
    const s = this.sequence;
    this.sequence = (this.sequence + 1) & 0xffff;
    return s;
  }
}

/** RTP interleaved in the RTSP connection (`$`, channel, 16-bit length, packet), one write per frame. */
export class TcpInterleavedSink extends RtpSink {
  constructor(pacer: StreamPacer, private readonly socket: Socket, private readonly channel: number) {
    super(pacer);
  }

  onFrame(frame: PacketizedFrame, timestamp: number): void {
    if (this.socket.destroyed) return;
    if (this.socket.writableLength > MAX_TCP_BACKLOG) {
      this.pacer.resync(this);
      return;
    }
    let size = 0;
    for (const p of frame.payloads) size += 4 + RTP_HEADER_SIZE + p.length;
    const out = Buffer.allocUnsafe(size);
    let off = 0;
    const last = frame.payloads.length - 1;
    frame.payloads.forEach((p, i) => {
      out[off] = 0x24;
      out[off + 1] = this.channel;
      out.writeUInt16BE(RTP_HEADER_SIZE + p.length, off + 2);
      writeRtpHeader(out, off + 4, {
        marker: i === last, payloadType: PAYLOAD_TYPE, sequence: this.nextSequence(), timestamp, ssrc: this.ssrc,
      });
      p.copy(out, off + 4 + RTP_HEADER_SIZE);
      off += 4 + RTP_HEADER_SIZE + p.length;
    });
    this.socket.write(out);
  }
}

const ignore = (): void => undefined;

/** RTP over UDP from the server's shared RTP socket to the client's port. */
export class UdpSink extends RtpSink {
  constructor(pacer: StreamPacer, private readonly socket: DgramSocket, private readonly address: string, private readonly port: number) {
    super(pacer);
  }

  onFrame(frame: PacketizedFrame, timestamp: number): void {
    const last = frame.payloads.length - 1;
    frame.payloads.forEach((p, i) => {
      const header = Buffer.allocUnsafe(RTP_HEADER_SIZE);
      writeRtpHeader(header, 0, {
        marker: i === last, payloadType: PAYLOAD_TYPE, sequence: this.nextSequence(), timestamp, ssrc: this.ssrc,
      });
      this.socket.send([header, p], this.port, this.address, ignore);
    });
  }
}
