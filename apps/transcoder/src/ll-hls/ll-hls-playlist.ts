import { llPartName, llSegmentName } from '@tiergate/contracts';
import { llInitNameOf } from './ll-hls-names';
import type { LlHlsTimeline, LlSegment } from './ll-hls-timeline';

/** PART-HOLD-BACK in part targets: the spec's "at least three times the Part Target Duration". */
export const PART_HOLD_BACK_PARTS = 3;

/**
 * EXT-X-VERSION: the tags used need 6 (EXT-X-MAP in a media playlist that is not I-frames only); LL-HLS tags
 * add no requirement. 9 is what MediaMTX and the brief use; every player of version 6 features reads it.
 */
const VERSION = 9;

const seconds = (s: number) => s.toFixed(3);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Pure: the LL-HLS media playlist of a timeline, every URI (plain lines and URI="…" attributes) followed by
 * `?<carried>` when a query is carried (the stream token; carried is already checked for safe characters).
 * Segments of a new ffmpeg run follow an EXT-X-DISCONTINUITY and their own EXT-X-MAP; the discontinuity
 * sequence is that of the first listed segment, which itself never carries the tag.
 */
export function renderLlPlaylist(timeline: LlHlsTimeline, carried: string): string {
  const q = carried ? `?${carried}` : '';
  const partTarget = timeline.partTargetSec;
  const listed: LlSegment[] = [...timeline.segments];
  const open = timeline.open;
  const withParts = new Set(timeline.listedPartSegments());
  const first = listed[0] ?? open;
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${VERSION}`,
    `#EXT-X-TARGETDURATION:${timeline.targetDurationSec}`,
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${seconds(partTarget * PART_HOLD_BACK_PARTS)}`,
    `#EXT-X-PART-INF:PART-TARGET=${seconds(partTarget)}`,
    `#EXT-X-MEDIA-SEQUENCE:${first?.msn ?? timeline.nextMsn}`,
  ];
  if (first && first.discontinuity > 0) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${first.discontinuity}`);
  let previous: LlSegment | undefined;
  const head = (segment: LlSegment) => {
    if (previous && previous.generation !== segment.generation) lines.push('#EXT-X-DISCONTINUITY');
    if (!previous || previous.generation !== segment.generation) lines.push(`#EXT-X-MAP:URI="${llInitNameOf(segment.generation)}${q}"`);
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${iso(segment.programDateTime)}`);
    if (withParts.has(segment)) {
      for (const p of segment.parts) {
        lines.push(`#EXT-X-PART:DURATION=${seconds(p.durationSec)},URI="${llPartName(p.msn, p.index)}${q}"${p.independent ? ',INDEPENDENT=YES' : ''}`);
      }
    }
    previous = segment;
  };
  for (const segment of listed) {
    head(segment);
    lines.push(`#EXTINF:${seconds(segment.durationSec)},`, `${llSegmentName(segment.msn)}${q}`);
  }
  if (open) head(open);
  const hint = timeline.preloadHint();
  lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${llPartName(hint.msn, hint.part)}${q}"`);
  return lines.join('\n') + '\n';
}
