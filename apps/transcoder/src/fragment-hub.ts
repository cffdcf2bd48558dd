import { Fmp4Reader, type FragmentFeed, type FragmentListener, type Fmp4Fragment, type Fmp4Init } from '@tiergate/media';

export interface FragmentHubOptions {
  /** Cap of the GOP cache in bytes; past it the cache is dropped until the next keyframe. Default 8 MiB. */
  maxGopBytes?: number;
  /** Called once per ffmpeg run whose stdout is not fragmented MP4 (the rest of that run is ignored). */
  onMalformed?(detail: string, generation: number): void;
  now?: () => number;
}

/** 8 MiB: a 2 s GOP of an 8 Mbit/s main stream is 2 MB; 8 MiB bounds one session's cache whatever the camera does. */
export const DEFAULT_MAX_GOP_BYTES = 8 * 1024 * 1024;

/**
 * The fragment feed of one stream session (one run, idle to idle): reads each ffmpeg run's stdout through the
 * fMP4 reader, keeps the current init and the GOP cache (the fragments since the newest keyframe), and hands
 * every init and fragment to its listeners synchronously, in order. A listener that throws is dropped, the
 * others go on; a slow consumer is the protocol layer's business (it must not block here).
 */
export class FragmentHub implements FragmentFeed {
  private current: Fmp4Init | undefined;
  private cache: Fmp4Fragment[] = [];
  private cacheBytes = 0;
  private nextSeq = 0;
  private generation = -1;
  private reader: Fmp4Reader | undefined;
  private readonly listeners = new Set<FragmentListener>();
  private endedWith: string | undefined;
  private readonly maxGopBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: FragmentHubOptions = {}) {
    this.maxGopBytes = options.maxGopBytes ?? DEFAULT_MAX_GOP_BYTES;
    this.now = options.now ?? Date.now;
  }

  get init(): Fmp4Init | undefined {
    return this.current;
  }

  /** Listeners subscribed now. */
  get size(): number {
    return this.listeners.size;
  }

  gop(): readonly Fmp4Fragment[] {
    return this.cache;
  }

  subscribe(listener: FragmentListener): () => void {
    if (this.endedWith !== undefined) {
      listener.end?.(this.endedWith);
      return () => undefined;
    }
    if (this.current) {
      listener.init(this.current);
      for (const f of this.cache) listener.fragment(f);
    }
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * A new ffmpeg run (spawn generation): its stdout is read from now on; bytes of older runs are ignored. The
   * previous init and cache stay until this run writes its own init.
   */
  attach(generation: number, stdout: NodeJS.ReadableStream | undefined): void {
    this.generation = generation;
    this.reader = new Fmp4Reader();
    stdout?.on('data', (chunk: Buffer) => this.push(generation, chunk));
  }

  /** Bytes of a run's stdout, in order (attach() wires this to the child; tests call it directly). */
  push(generation: number, chunk: Buffer): void {
    if (generation !== this.generation || !this.reader || this.endedWith !== undefined) return;
    let events;
    try {
      events = this.reader.push(chunk);
    } catch (err) {
      this.reader = undefined; // nothing more of this run: wait for the next run's init
      this.options.onMalformed?.(err instanceof Error ? err.message : String(err), generation);
      return;
    }
    for (const event of events) {
      if (event.kind === 'init') this.onInit({ ...event.init, generation });
      else this.onFragment({ ...event.fragment, seq: this.nextSeq++, receivedAt: this.now(), generation });
    }
  }

  /** The session closed: every listener gets end(reason), later subscribers too. */
  end(reason: string): void {
    if (this.endedWith !== undefined) return;
    this.endedWith = reason;
    this.reader = undefined;
    this.cache = [];
    this.cacheBytes = 0;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) {
      try {
        l.end?.(reason);
      } catch {
        // a listener's failure to close is its own
      }
    }
  }

  private onInit(init: Fmp4Init): void {
    this.current = init;
    this.cache = [];
    this.cacheBytes = 0;
    this.fanOut((l) => l.init(init));
  }

  private onFragment(fragment: Fmp4Fragment): void {
    if (fragment.keyframe) {
      this.cache = [fragment];
      this.cacheBytes = fragment.data.length;
    } else if (this.cache.length > 0) {
      this.cache.push(fragment);
      this.cacheBytes += fragment.data.length;
      if (this.cacheBytes > this.maxGopBytes) {
        // too long a GOP to keep: joiners wait for the next keyframe instead
        this.cache = [];
        this.cacheBytes = 0;
      }
    }
    this.fanOut((l) => l.fragment(fragment));
  }

  private fanOut(call: (l: FragmentListener) => void): void {
    for (const l of this.listeners) {
      try {
        call(l);
      } catch {
        this.listeners.delete(l);
      }
    }
  }
}
