import { randomInt } from 'node:crypto';
import { H264Source, PacketizedFrame } from './h264.source';

export const RTP_CLOCK = 90_000;
/** After a stall longer than this many frames, the pacer skips ahead instead of bursting. */
const MAX_CATCH_UP_FRAMES = 5;

/** Receives paced frames; `timestamp` is the 90 kHz RTP time of the frame. */
export interface FrameSink {
  onFrame(frame: PacketizedFrame, timestamp: number): void;
}

/**
 * One pacer per stream, shared by every client: it loops the clip at real time, with RTP timestamps that
 * keep increasing across loops, and runs only while someone listens. A new sink receives frames from
 * the next keyframe on (SPS/PPS/IDR first).
 */
export class StreamPacer {
  private readonly sinks = new Map<FrameSink, { waitingKeyframe: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private index = 0;
  private timestamp = randomInt(0, 0x7fffffff);
  private startedAt = 0;
  private sentSinceStart = 0;
  private readonly frameMs: number;
  private readonly tsStep: number;
  /** Frames sent since the last keyframe (the current GOP), for sinks that start at the last keyframe. */
  private gop: { frame: PacketizedFrame; ts: number }[] = [];

  constructor(
    readonly source: H264Source,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (source.frames.length === 0) throw new Error('empty H.264 source');
    this.frameMs = 1000 / source.fps;
    this.tsStep = Math.round(RTP_CLOCK / source.fps);
  }

  get listeners(): number {
    return this.sinks.size;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Adds a sink. By default it starts at the next keyframe. With `fromLastKeyframe` (a camera with a GOP
   * buffer) it gets the current GOP at once, from its keyframe on, then the live frames.
   */
  subscribe(sink: FrameSink, options: { fromLastKeyframe?: boolean } = {}): void {
    const burst = options.fromLastKeyframe && this.running ? this.gop : [];
    this.sinks.set(sink, { waitingKeyframe: burst.length === 0 });
    for (const { frame, ts } of burst) {
      try {
        sink.onFrame(frame, ts);
      } catch {
        this.sinks.delete(sink);
        break;
      }
    }
    if (!this.timer) this.start();
  }

  /** RTP timestamp of the first frame a sink subscribed now receives. */
  startTimestamp(fromLastKeyframe: boolean): number {
    return fromLastKeyframe && this.running && this.gop.length > 0 ? this.gop[0].ts : this.nextKeyframeTimestamp();
  }

  unsubscribe(sink: FrameSink): void {
    this.sinks.delete(sink);
    if (this.sinks.size === 0) this.stop();
  }

  /** RTP timestamp of the next keyframe to be sent: where a sink subscribed now will start. */
  nextKeyframeTimestamp(): number {
    const n = this.source.frames.length;
    let d = 0;
    while (d < n && !this.source.frames[(this.index + d) % n].keyframe) d += 1;
    return (this.timestamp + d * this.tsStep) % 0x1_0000_0000;
  }

  /** Marks a sink as needing a keyframe again (after it dropped a frame). */
  resync(sink: FrameSink): void {
    const state = this.sinks.get(sink);
    if (state) state.waitingKeyframe = true;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.gop = [];
  }

  private start(): void {
    this.startedAt = this.now();
    this.sentSinceStart = 0;
    this.tick();
  }

  private tick(): void {
    const due = Math.floor((this.now() - this.startedAt) / this.frameMs) + 1;
    if (due - this.sentSinceStart > MAX_CATCH_UP_FRAMES) this.sentSinceStart = due - 1; // stalled: skip, don't burst
    while (this.sentSinceStart < due && this.sinks.size > 0) {
      this.emit();
      this.sentSinceStart += 1;
    }
    if (this.sinks.size === 0) {
      this.timer = undefined;
      this.gop = [];
      return;
    }
    const nextAt = this.startedAt + this.sentSinceStart * this.frameMs;
    this.timer = setTimeout(() => this.tick(), Math.max(1, nextAt - this.now()));
  }

  private emit(): void {
    const frame = this.source.frames[this.index];
    const ts = this.timestamp >>> 0;
    if (frame.keyframe) this.gop = [];
    if (this.gop.length < 600) this.gop.push({ frame, ts });
    for (const [sink, state] of this.sinks) {
      if (state.waitingKeyframe) {
        if (!frame.keyframe) continue;
        state.waitingKeyframe = false;
      }
      try {
        sink.onFrame(frame, ts);
      } catch {
        this.sinks.delete(sink); // a broken sink must not stop the others
      }
    }
    this.index = (this.index + 1) % this.source.frames.length;
    this.timestamp = (this.timestamp + this.tsStep) % 0x1_0000_0000;
  }
}
