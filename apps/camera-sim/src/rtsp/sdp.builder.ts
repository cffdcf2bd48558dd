import { H264Source } from './h264.source';

export const PAYLOAD_TYPE = 96;
export const TRACK_CONTROL = 'trackID=0';

/** Pure: the SDP of a single H.264 video track (RFC 6184 fmtp). */
export function buildSdp(source: H264Source, host: string, sessionName: string, sessionId: string): string {
  return [
    'v=0',
    `o=- ${sessionId} 1 IN IP4 ${host}`,
    `s=${sessionName.replace(/[\r\n]/g, ' ')}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=control:*',
    'a=range:npt=now-',
    `m=video 0 RTP/AVP ${PAYLOAD_TYPE}`,
    `a=rtpmap:${PAYLOAD_TYPE} H264/90000`,
    `a=fmtp:${PAYLOAD_TYPE} packetization-mode=1;profile-level-id=${source.profileLevelId};sprop-parameter-sets=${source.sprop}`,
    `a=framerate:${source.fps}`,
    `a=x-dimensions:${source.width},${source.height}`,
    `a=control:${TRACK_CONTROL}`,
    '',
  ].join('\r\n');
}
