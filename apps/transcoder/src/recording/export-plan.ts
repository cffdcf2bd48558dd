import { initHashOfPath } from '@tiergate/domain';

/** What an export needs of a segment row. */
export interface ExportSegment {
  id: string;
  rootId: string;
  path: string;
  initPath: string;
  startAt: Date;
  endAt: Date;
  bytes: number;
}

/** Consecutive segments of one ffmpeg run: one init, each starting where the previous ended (within this, in ms). */
export const CONTIGUOUS_MS = 50;

/** One stretch of footage that concatenates into a valid fMP4 stream: its init, then its segments. */
export interface ExportRun {
  rootId: string;
  initPath: string;
  segments: ExportSegment[];
  durationMs: number;
  bytes: number;
}

/**
 * Pure: the runs of an export, in time order. A new run begins where the init changes or the segments do not
 * meet (a gap, or a new ffmpeg run, whose media clock starts again even with the same init): inside a run
 * the fragments' decode times continue, so init + segments is one valid fragmented MP4.
 */
export function exportRunsOf(segments: readonly ExportSegment[], contiguousMs = CONTIGUOUS_MS): ExportRun[] {
  const sorted = [...segments].filter((s) => initHashOfPath(s.initPath) !== undefined).sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  const runs: ExportRun[] = [];
  let prev: ExportSegment | undefined;
  for (const s of sorted) {
    const run = runs[runs.length - 1];
    const joins = run && prev && prev.initPath === s.initPath && prev.rootId === s.rootId && Math.abs(s.startAt.getTime() - prev.endAt.getTime()) <= contiguousMs;
    if (joins) {
      run.segments.push(s);
      run.durationMs += s.endAt.getTime() - s.startAt.getTime();
      run.bytes += s.bytes;
    } else {
      runs.push({ rootId: s.rootId, initPath: s.initPath, segments: [s], durationMs: s.endAt.getTime() - s.startAt.getTime(), bytes: s.bytes });
    }
    prev = s;
  }
  return runs;
}

/**
 * Pure: the ffmpeg arguments that stream-copy the assembled runs into one MP4 with its index in front
 * (`+faststart`), reporting progress on stdout (`-progress pipe:1`). One run is read directly; several go
 * through the concat demuxer (a list file), which places each run after the previous: the clip holds the
 * recorded footage, the gaps between runs cut out.
 */
export function exportFfmpegArgs(input: { run: string } | { concatList: string }, output: string): string[] {
  const source = 'run' in input ? ['-i', input.run] : ['-f', 'concat', '-safe', '0', '-i', input.concatList];
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...source, '-map', '0', '-c', 'copy', '-movflags', '+faststart', '-progress', 'pipe:1', '-nostats', '-f', 'mp4', output];
}

/** Pure: a concat demuxer list of absolute files (single quotes escaped as the demuxer wants). */
export function concatListOf(files: readonly string[]): string {
  return `ffconcat version 1.0\n${files.map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join('\n')}\n`;
}

/** Pure: the media time ffmpeg reports in a `-progress` block (`out_time_us=…`), in ms; undefined without one. */
export function progressTimeMsOf(text: string): number | undefined {
  let last: number | undefined;
  for (const m of text.matchAll(/^out_time_us=(\d+)$/gm)) last = Number(m[1]) / 1000;
  return last;
}
