import { Fmp4FormatError } from './box-splitter';

/*
 * The few box fields the low-latency path needs, read from ffmpeg's fragmented MP4 (ISO/IEC 14496-12 and -15).
 *
 * Why our own reader and not mp4box.js: mp4box.js (GPAC's, ~250 kB of JS, no types of its own) parses every
 * box of the standard into object trees, keeps its own sample tables and buffering, and is built for files
 * or a browser's MediaSource: we need the top-level box boundaries of a pipe and seven small boxes
 * (moov/trak/mdhd/tkhd/avcC/hvcC and moof's tfhd/tfdt/trun), on the worker's hot path, for every fragment of
 * every stream. That is ~150 lines we can test against ffmpeg's real output, with a hard size cap per box,
 * and no copy beyond the one moof+mdat buffer each fragment needs anyway.
 */

/** What a moov says about its video track. */
export interface Fmp4VideoTrack {
  trackId: number;
  codec: string;
  timescale: number;
  width?: number;
  height?: number;
  /** trex defaults (mvex), used when tfhd/trun carry none. */
  defaultSampleDuration: number;
  defaultSampleFlags: number;
}

/** What a moof says about its first (video) track fragment. */
export interface Fmp4FragmentInfo {
  keyframe: boolean;
  decodeTime: number;
  /** Sum of the sample durations, in track timescale ticks. */
  durationTicks: number;
  sampleCount: number;
}

/** sample_is_non_sync_sample in the sample flags (14496-12 8.8.3.1). */
export const SAMPLE_IS_NON_SYNC = 0x10000;

interface BoxRef {
  type: string;
  /** Offset of the payload (after the header). */
  start: number;
  end: number;
}

/** The child boxes inside [start, end) of buf. */
function children(buf: Buffer, start: number, end: number): BoxRef[] {
  const out: BoxRef[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) throw new Fmp4FormatError(`box '${buf.toString('latin1', at + 4, at + 8)}' overruns its parent`);
    out.push({ type: buf.toString('latin1', at + 4, at + 8), start: at + header, end: at + size });
    at += size;
  }
  return out;
}

const child = (buf: Buffer, parent: BoxRef, type: string): BoxRef | undefined => children(buf, parent.start, parent.end).find((b) => b.type === type);

/** Follows a path of child types from a parent box; undefined when one is missing. */
function path(buf: Buffer, parent: BoxRef, ...types: string[]): BoxRef | undefined {
  let at: BoxRef | undefined = parent;
  for (const t of types) at = at && child(buf, at, t);
  return at;
}

function need(box: BoxRef | undefined, what: string): BoxRef {
  if (!box) throw new Fmp4FormatError(`${what} is missing`);
  return box;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** RFC 6381 codec string from an avcC: `avc1.` + profile, compatibility and level in hex. */
export function avcCodecOf(entry: string, avcC: Buffer): string {
  if (avcC.length < 4) throw new Fmp4FormatError('avcC is too short');
  return `${entry}.${hex2(avcC[1]!)}${hex2(avcC[2]!)}${hex2(avcC[3]!)}`;
}

/** RFC 6381 / 14496-15 Annex E codec string from an hvcC: `hvc1.1.6.L93.B0`. */
export function hevcCodecOf(entry: string, hvcC: Buffer): string {
  if (hvcC.length < 13) throw new Fmp4FormatError('hvcC is too short');
  const b = hvcC[1]!;
  const space = ['', 'A', 'B', 'C'][b >> 6]!;
  const tier = b & 0x20 ? 'H' : 'L';
  const profile = b & 0x1f;
  let compat = hvcC.readUInt32BE(2);
  let reversed = 0;
  for (let i = 0; i < 32; i++, compat >>>= 1) reversed = ((reversed << 1) | (compat & 1)) >>> 0;
  const constraints = [...hvcC.subarray(6, 12)];
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const tail = constraints.map((c) => `.${c.toString(16).toUpperCase()}`).join('');
  return `${entry}.${space}${profile}.${reversed.toString(16).toUpperCase()}.${tier}${hvcC[12]}${tail}`;
}

/** Version 0 fields are 32-bit, version 1 64-bit: reads a time field at `at`. */
const timeField = (buf: Buffer, at: number, v1: boolean): number => (v1 ? Number(buf.readBigUInt64BE(at)) : buf.readUInt32BE(at));

/** The video track of an init segment (ftyp+moov bytes, or the moov alone). */
export function parseInitSegment(data: Buffer): Fmp4VideoTrack {
  const moov = need(children(data, 0, data.length).find((b) => b.type === 'moov'), 'moov');
  const traks = children(data, moov.start, moov.end).filter((b) => b.type === 'trak');
  const trak = traks.find((t) => {
    const hdlr = path(data, t, 'mdia', 'hdlr');
    return hdlr !== undefined && data.toString('latin1', hdlr.start + 8, hdlr.start + 12) === 'vide';
  });
  if (!trak) throw new Fmp4FormatError('the moov has no video track');
  const tkhd = need(child(data, trak, 'tkhd'), 'tkhd');
  const tkhdV1 = data[tkhd.start] === 1;
  const trackId = data.readUInt32BE(tkhd.start + (tkhdV1 ? 20 : 12));
  const mdhd = need(path(data, trak, 'mdia', 'mdhd'), 'mdhd');
  const timescale = data.readUInt32BE(mdhd.start + (data[mdhd.start] === 1 ? 20 : 12));
  if (timescale === 0) throw new Fmp4FormatError('mdhd timescale is 0');
  const stsd = need(path(data, trak, 'mdia', 'minf', 'stbl', 'stsd'), 'stsd');
  const entry = need(children(data, stsd.start + 8, stsd.end)[0], 'sample entry');
  // VisualSampleEntry: 8 bytes SampleEntry, 16 reserved, width and height (16 bits each), then 50 more bytes
  const width = data.readUInt16BE(entry.start + 24);
  const height = data.readUInt16BE(entry.start + 26);
  const config = children(data, entry.start + 78, entry.end);
  const avcC = config.find((b) => b.type === 'avcC');
  const hvcC = config.find((b) => b.type === 'hvcC');
  const codec = avcC ? avcCodecOf(entry.type, data.subarray(avcC.start, avcC.end))
    : hvcC ? hevcCodecOf(entry.type, data.subarray(hvcC.start, hvcC.end))
      : entry.type;
  const trex = path(data, moov, 'mvex', 'trex');
  return {
    trackId,
    codec,
    timescale,
    ...(width > 0 && height > 0 ? { width, height } : {}),
    defaultSampleDuration: trex ? data.readUInt32BE(trex.start + 12) : 0,
    defaultSampleFlags: trex ? data.readUInt32BE(trex.start + 20) : 0,
  };
}

/** Keyframe, decode time and duration of a moof (its traf for the track, else its first traf). */
export function parseMoof(moof: Buffer, track: Pick<Fmp4VideoTrack, 'trackId' | 'defaultSampleDuration' | 'defaultSampleFlags'>): Fmp4FragmentInfo {
  const root = need(children(moof, 0, moof.length).find((b) => b.type === 'moof'), 'moof');
  const trafs = children(moof, root.start, root.end).filter((b) => b.type === 'traf');
  const tfhdOf = (traf: BoxRef) => need(child(moof, traf, 'tfhd'), 'tfhd');
  const traf = trafs.find((t) => moof.readUInt32BE(tfhdOf(t).start + 4) === track.trackId) ?? need(trafs[0], 'traf');
  const tfhd = tfhdOf(traf);
  const tfhdFlags = moof.readUInt32BE(tfhd.start) & 0xffffff;
  let at = tfhd.start + 8 + (tfhdFlags & 0x1 ? 8 : 0) + (tfhdFlags & 0x2 ? 4 : 0);
  const defaultDuration = tfhdFlags & 0x8 ? moof.readUInt32BE(at) : track.defaultSampleDuration;
  at += tfhdFlags & 0x8 ? 4 : 0;
  at += tfhdFlags & 0x10 ? 4 : 0;
  const defaultFlags = tfhdFlags & 0x20 ? moof.readUInt32BE(at) : track.defaultSampleFlags;
  const tfdt = child(moof, traf, 'tfdt');
  const decodeTime = tfdt ? timeField(moof, tfdt.start + 4, moof[tfdt.start] === 1) : 0;
  let durationTicks = 0;
  let sampleCount = 0;
  let firstFlags: number | undefined;
  for (const trun of children(moof, traf.start, traf.end).filter((b) => b.type === 'trun')) {
    const flags = moof.readUInt32BE(trun.start) & 0xffffff;
    const count = moof.readUInt32BE(trun.start + 4);
    let p = trun.start + 8 + (flags & 0x1 ? 4 : 0);
    if (flags & 0x4) {
      if (sampleCount === 0) firstFlags = moof.readUInt32BE(p);
      p += 4;
    }
    const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
    if (p + stride * count > trun.end) throw new Fmp4FormatError('trun overruns its box');
    for (let i = 0; i < count; i++, p += stride) {
      durationTicks += flags & 0x100 ? moof.readUInt32BE(p) : defaultDuration;
      if (sampleCount + i === 0 && firstFlags === undefined && flags & 0x400) firstFlags = moof.readUInt32BE(p + (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0));
    }
    sampleCount += count;
  }
  const keyFlags = firstFlags ?? defaultFlags;
  return { keyframe: sampleCount > 0 && (keyFlags & SAMPLE_IS_NON_SYNC) === 0, decodeTime, durationTicks, sampleCount };
}
