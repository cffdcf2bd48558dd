import type { ErrorCode } from '@tiergate/domain';

export type SourceFailureCode = Extract<ErrorCode, 'CAMERA_UNREACHABLE' | 'CAMERA_UNAUTHORIZED' | 'CAMERA_PROTOCOL_ERROR' | 'TRANSCODER_MISCONFIGURED'>;

/**
 * Ordered: ffmpeg refusing its own arguments or lacking a feature comes first, since it is Tiergate's fault
 * whatever else was printed; then the camera's answers. Patterns are ffmpeg's own messages (4.x–7.x).
 */
const RULES: ReadonlyArray<readonly [RegExp, SourceFailureCode]> = [
  [
    /Unrecognized option|Option not found|Error splitting the argument list|Option \S+ not found|Unknown encoder|Encoder not found|Unknown decoder|No such filter|Error (initializing|reinitializing) filters?|Error opening output|Could not write header|Unable to choose an output format|Invalid argument.*(hls_|segment|m3u8)|Failed to open file .*\.(m3u8|ts)|spawn failed/i,
    'TRANSCODER_MISCONFIGURED',
  ],
  [/401 Unauthorized|403 Forbidden/i, 'CAMERA_UNAUTHORIZED'],
  [/Connection refused|No route to host|Network is unreachable|Connection timed out|timed out|Host is down|Name or service not known|Connection reset by peer|Cannot assign requested address|Temporary failure in name resolution/i, 'CAMERA_UNREACHABLE'],
];

/**
 * Maps what a failed ffmpeg printed on stderr to the error code a caller sees. Pure. The tail must be the
 * whole stderr tail, read after the process's streams closed (see FfmpegChild.exited), not a partial one.
 */
export function classifyFfmpegFailure(stderrTail: string): SourceFailureCode {
  for (const [pattern, code] of RULES) if (pattern.test(stderrTail)) return code;
  return 'CAMERA_PROTOCOL_ERROR';
}

/** The stderr line that names the problem (the last line matching a rule), for logs; falls back on the last line. */
export function decisiveLine(stderrTail: string): string {
  const lines = stderrTail.trim().split('\n').filter((l) => l.trim().length > 0);
  for (let i = lines.length - 1; i >= 0; i--) if (RULES.some(([p]) => p.test(lines[i]))) return lines[i].trim();
  return lines.at(-1)?.trim() ?? '';
}
