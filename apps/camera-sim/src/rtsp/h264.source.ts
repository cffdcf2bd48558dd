import { promises as fs } from 'node:fs';
import { parseAnnexB, profileLevelId } from '../fixtures/annexb.parser';
import { DEFAULT_MAX_PAYLOAD, packetizeNal, stapA } from './rtp.packetizer';

/** One picture ready to send: RTP payloads (the last one carries the marker bit). */
export interface PacketizedFrame {
  readonly payloads: readonly Buffer[];
  readonly keyframe: boolean;
}

/** A pre-encoded H.264 clip, parsed and packetized once, plus what the SDP needs. */
export interface H264Source {
  readonly frames: readonly PacketizedFrame[];
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  readonly sprop: string;
  readonly profileLevelId: string;
}

/** Pure: builds the source from Annex-B bytes. SPS and PPS go before every IDR picture. */
export function h264SourceFromBuffer(
  data: Buffer,
  info: { fps: number; width: number; height: number },
  maxPayload = DEFAULT_MAX_PAYLOAD,
): H264Source {
  const parsed = parseAnnexB(data);
  const firstKey = parsed.units.findIndex((u) => u.keyframe);
  const units = parsed.units.slice(firstKey); // the loop must start on a keyframe
  const paramSets = parsed.sps.length + parsed.pps.length + 5 <= maxPayload ? [stapA([parsed.sps, parsed.pps])] : [
    ...packetizeNal(parsed.sps, maxPayload), ...packetizeNal(parsed.pps, maxPayload),
  ];
  const frames = units.map((u) => {
    const payloads = u.nals.flatMap((n) => packetizeNal(n, maxPayload));
    return { keyframe: u.keyframe, payloads: u.keyframe ? [...paramSets, ...payloads] : payloads };
  });
  return {
    frames,
    fps: info.fps,
    width: info.width,
    height: info.height,
    sprop: `${parsed.sps.toString('base64')},${parsed.pps.toString('base64')}`,
    profileLevelId: profileLevelId(parsed.sps),
  };
}

export async function loadH264Source(file: string, info: { fps: number; width: number; height: number }): Promise<H264Source> {
  return h264SourceFromBuffer(await fs.readFile(file), info);
}
