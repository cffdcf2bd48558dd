/**
 * Splits a byte stream (ffmpeg's stdout, in whatever chunks the pipe delivers) into top-level ISO BMFF boxes.
 * Pure and incremental: a box split across chunks is kept until it is whole; 64-bit sizes are read; a box
 * larger than the cap, a size smaller than its header, a non-printable type or a size-0 box ("to the end of
 * the file", meaningless on a live pipe) are errors: the stream cannot be resynchronised after them.
 */

/** One whole top-level box: its four-character type and all its bytes, header included. */
export interface Fmp4Box {
  readonly type: string;
  readonly data: Buffer;
  /** 8, or 16 for a box with a 64-bit size. */
  readonly headerSize: number;
}

/** The byte stream is not (or no longer) a sequence of MP4 boxes. */
export class Fmp4FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Fmp4FormatError';
  }
}

/** Default cap on one box: a 1 s GOP of a 16 Mbit/s camera is 2 MB; 16 MiB leaves room and bounds memory. */
export const MAX_BOX_BYTES = 16 * 1024 * 1024;

const PRINTABLE_TYPE = /^[\x20-\x7e]{4}$/;

export class Fmp4BoxSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxBoxBytes: number = MAX_BOX_BYTES) {}

  /** Bytes held for a box not yet complete. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Takes the next chunk; returns every box it completed, in order. Throws Fmp4FormatError on a malformed stream. */
  push(chunk: Buffer): Fmp4Box[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const boxes: Fmp4Box[] = [];
    while (this.buffered >= 8) {
      const head = this.peek(Math.min(16, this.buffered));
      const type = head.toString('latin1', 4, 8);
      if (!PRINTABLE_TYPE.test(type)) throw new Fmp4FormatError(`not an MP4 box (type bytes ${head.subarray(4, 8).toString('hex')})`);
      let size = head.readUInt32BE(0);
      let headerSize = 8;
      if (size === 1) {
        if (head.length < 16) break;
        const large = head.readBigUInt64BE(8);
        size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large);
        headerSize = 16;
      } else if (size === 0) {
        throw new Fmp4FormatError(`box '${type}' extends to the end of the stream (size 0): not supported on a live pipe`);
      }
      if (size < headerSize) throw new Fmp4FormatError(`box '${type}' declares ${size} bytes, less than its ${headerSize}-byte header`);
      if (size > this.maxBoxBytes) throw new Fmp4FormatError(`box '${type}' declares ${size} bytes, over the ${this.maxBoxBytes}-byte cap`);
      if (this.buffered < size) break;
      boxes.push({ type, data: this.take(size), headerSize });
    }
    return boxes;
  }

  /** The first n buffered bytes (n ≤ buffered), without consuming them. */
  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const parts: Buffer[] = [];
    for (let i = 0, got = 0; got < n; got += this.chunks[i]!.length, i++) parts.push(this.chunks[i]!);
    return Buffer.concat(parts).subarray(0, n);
  }

  /** Removes and returns the first n buffered bytes (n ≤ buffered). */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks, this.buffered);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.buffered -= n;
    return out;
  }
}
