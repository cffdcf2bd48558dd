import type { ErrorCode } from '@tiergate/domain';

export type SourceFailureCode = Extract<ErrorCode, 'CAMERA_UNREACHABLE' | 'CAMERA_UNAUTHORIZED' | 'CAMERA_PROTOCOL_ERROR'>;

const RULES: ReadonlyArray<readonly [RegExp, SourceFailureCode]> = [
  [/401 Unauthorized|403 Forbidden/i, 'CAMERA_UNAUTHORIZED'],
  [/Connection refused|No route to host|Network is unreachable|Connection timed out|timed out|Host is down|Name or service not known|Connection reset by peer|Cannot assign requested address/i, 'CAMERA_UNREACHABLE'],
];

/** Maps what a failed ffmpeg printed on stderr to the error code a caller sees. Pure. */
export function classifyFfmpegFailure(stderrTail: string): SourceFailureCode {
  for (const [pattern, code] of RULES) if (pattern.test(stderrTail)) return code;
  return 'CAMERA_PROTOCOL_ERROR';
}
