import { Fmp4BoxSplitter, Fmp4FormatError, MAX_BOX_BYTES } from './box-splitter';
import { parseInitSegment, parseMoof, type Fmp4VideoTrack } from './fmp4-boxes';

/** An init segment as read: Fmp4Init without the session's generation. */
export interface Fmp4InitRead {
  data: Buffer;
  codec: string;
  timescale: number;
  width?: number;
  height?: number;
}

/** A fragment as read: Fmp4Fragment without the session's seq, generation and arrival time. */
export interface Fmp4FragmentRead {
  data: Buffer;
  keyframe: boolean;
  decodeTime: number;
  durationSec: number;
}

export type Fmp4Event = { kind: 'init'; init: Fmp4InitRead } | { kind: 'fragment'; fragment: Fmp4FragmentRead };

/**
 * Reads one fragmented-MP4 byte stream (one ffmpeg run's stdout): ftyp+moov become an init, each moof+mdat a
 * fragment. Other top-level boxes (free, styp, sidx, prft, the closing mfra) are skipped. Pure and
 * incremental; throws Fmp4FormatError on a malformed stream (the caller drops the rest of that stream).
 */
export class Fmp4Reader {
  private readonly splitter: Fmp4BoxSplitter;
  private ftyp: Buffer | undefined;
  private track: Fmp4VideoTrack | undefined;
  private moof: Buffer | undefined;

  constructor(maxBoxBytes: number = MAX_BOX_BYTES) {
    this.splitter = new Fmp4BoxSplitter(maxBoxBytes);
  }

  push(chunk: Buffer): Fmp4Event[] {
    const events: Fmp4Event[] = [];
    for (const box of this.splitter.push(chunk)) {
      switch (box.type) {
        case 'ftyp':
          this.ftyp = box.data;
          break;
        case 'moov': {
          const data = this.ftyp ? Buffer.concat([this.ftyp, box.data]) : box.data;
          const track = parseInitSegment(data);
          this.track = track;
          this.moof = undefined;
          const { codec, timescale, width, height } = track;
          events.push({ kind: 'init', init: { data, codec, timescale, ...(width !== undefined ? { width, height } : {}) } });
          break;
        }
        case 'moof':
          if (!this.track) throw new Fmp4FormatError('a moof came before any moov');
          this.moof = box.data;
          break;
        case 'mdat': {
          if (!this.track || !this.moof) throw new Fmp4FormatError('an mdat came without its moof');
          const info = parseMoof(this.moof, this.track);
          events.push({
            kind: 'fragment',
            fragment: { data: Buffer.concat([this.moof, box.data]), keyframe: info.keyframe, decodeTime: info.decodeTime, durationSec: info.durationTicks / this.track.timescale },
          });
          this.moof = undefined;
          break;
        }
        default:
          break;
      }
    }
    return events;
  }
}
