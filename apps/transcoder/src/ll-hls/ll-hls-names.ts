import { LL_INIT_NAME, LL_PLAYLIST_NAME, llPartName, llSegmentName } from '@tiergate/contracts';

/**
 * The init segment of one ffmpeg run (generation) in a playlist's EXT-X-MAP. One name per generation, not the
 * contract's single `ll_init.mp4`: hls.js keeps the init it loaded for every later EXT-X-MAP with the same URI
 * (level-helper mergeDetails), so after an ffmpeg restart with other codec parameters (a camera reconfigured
 * and rebooted) the same name would decode the new run with the old init. `ll_init.mp4` stays served as
 * "the newest init" for tools that fetch it by the contract's name.
 */
export const llInitNameOf = (generation: number): string => `ll_init_${generation}.mp4`;

/** One file of a stream's LL-HLS, by name. */
export type LlHlsFile =
  | { kind: 'playlist' }
  | { kind: 'init'; generation?: number }
  | { kind: 'segment'; msn: number }
  | { kind: 'part'; msn: number; part: number };

const NUMBER = '(0|[1-9][0-9]{0,15})';
const INIT = new RegExp(`^ll_init_${NUMBER}\\.mp4$`);
const SEGMENT = new RegExp(`^ll_${NUMBER}\\.m4s$`);
const PART = new RegExp(`^ll_${NUMBER}\\.${NUMBER}\\.m4s$`);

/** Pure: the LL-HLS file a name (already a valid HLS file name) stands for, undefined when it is not one (classic HLS). */
export function parseLlHlsFile(name: string): LlHlsFile | undefined {
  if (name === LL_PLAYLIST_NAME) return { kind: 'playlist' };
  if (name === LL_INIT_NAME) return { kind: 'init' };
  let m = INIT.exec(name);
  if (m) return { kind: 'init', generation: Number(m[1]) };
  m = SEGMENT.exec(name);
  if (m) return { kind: 'segment', msn: Number(m[1]) };
  m = PART.exec(name);
  if (m) return { kind: 'part', msn: Number(m[1]), part: Number(m[2]) };
  return undefined;
}

export { llPartName, llSegmentName };
