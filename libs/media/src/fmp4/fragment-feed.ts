/**
 * The low-latency live feed of one stream session (issue 13): the fragmented MP4 that the session's one
 * ffmpeg writes to its stdout, split into an init segment and moof+mdat fragments, with a GOP cache.
 * Every low-latency protocol of a worker (MSE over WebSocket, LL-HLS) reads one of these; classic HLS keeps
 * ffmpeg's own playlist on disk. One ffmpeg, one RTSP pull per (camera, profile), whatever the viewers use.
 */

/** ftyp+moov of the current ffmpeg run: what a MediaSource SourceBuffer or an EXT-X-MAP needs first. */
export interface Fmp4Init {
  /** The ftyp and moov boxes, exactly as ffmpeg wrote them. */
  readonly data: Buffer;
  /** RFC 6381 codec string of the video track (`avc1.64001f`, `hvc1.1.6.L93.B0`), for `video/mp4; codecs="…"`. */
  readonly codec: string;
  /** The video track's timescale (mdhd), ticks per second of the fragments' decode times. */
  readonly timescale: number;
  readonly width?: number;
  readonly height?: number;
  /** ffmpeg run (spawn generation) this init belongs to; fragments of another generation need the new init. */
  readonly generation: number;
}

/** One moof+mdat pair. */
export interface Fmp4Fragment {
  /** moof+mdat, exactly as ffmpeg wrote them (self-contained with the init of the same generation). */
  readonly data: Buffer;
  /** Counts fragments of this feed from 0 across restarts (never repeats within a session). */
  readonly seq: number;
  /** The fragment starts with a sync sample (keyframe): a decoder can start here. */
  readonly keyframe: boolean;
  /** tfdt baseMediaDecodeTime of its first sample, in the init's timescale. */
  readonly decodeTime: number;
  /** Sum of its sample durations, in seconds. */
  readonly durationSec: number;
  /** When the worker had the whole fragment (Date.now()), for latency figures. */
  readonly receivedAt: number;
  readonly generation: number;
}

export interface FragmentListener {
  /** A (new) init segment: sent first, and again whenever ffmpeg restarted (a new generation). */
  init(init: Fmp4Init): void;
  fragment(fragment: Fmp4Fragment): void;
  /** The feed ended (session closed); no more calls follow. */
  end?(reason: string): void;
}

/** What protocol servers read from a session. Implemented by the transcoder's fragment hub. */
export interface FragmentFeed {
  /** The current init segment, once ffmpeg has written one. */
  readonly init: Fmp4Init | undefined;
  /** The fragments since (and including) the newest keyframe fragment: a joining viewer starts here. */
  gop(): readonly Fmp4Fragment[];
  /**
   * Adds a listener. When an init exists it is called at once with init() and then fragment() for every
   * fragment of gop(), synchronously, before any newer fragment; afterwards with every new fragment.
   * Returns the unsubscribe function.
   */
  subscribe(listener: FragmentListener): () => void;
}
