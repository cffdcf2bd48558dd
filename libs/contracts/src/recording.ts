import { isSafeFileName } from '@tiergate/domain';
import { TOPIC_ROOT } from './topics';
import { parseStreamKey, streamPathParts, type StreamKey, type StreamProfile } from './stream-key';

/**
 * Recording (issue 14): the contract between the acting partitioner (decides what is recorded where), the
 * transcoder workers with a disk (record from the session's fragment feed: libs/media fmp4/fragment-feed.ts,
 * so a recording shares the camera's one pull) and the gateways (timeline, playback, export).
 * Design and formulas: docs/recording.md.
 */

export const RECORDING_MODES = ['continuous', 'buffer'] as const;
/**
 * continuous: the stream is recorded all the time (the assigned worker holds the session even with no viewer);
 * buffer: while anyone watches the stream, the worker holding it keeps its last `bufferMinutes` (instant replay).
 */
export type RecordingMode = (typeof RECORDING_MODES)[number];

export const RecordingTopics = {
  /**
   * Retained, signed: the whole recording plan (RecordingPlanMessage), published by the acting partitioner on
   * every change of rules, cameras, tree or workers and every 10 s (inside the 30 s freshness of signed messages). Workers act on it; nobody else writes it.
   */
  plan: `${TOPIC_ROOT}/recordings/plan`,
  /** A rule or hold was created, changed or deleted (qos 1): the acting partitioner publishes a new plan at once. */
  rulesChanged: `${TOPIC_ROOT}/recordings/rules-changed`,
  /** Retained, per stream: RecordingStateMessage, published by the worker recording it. */
  state: (cameraId: string, profile: string) => `${TOPIC_ROOT}/recordings/${cameraId}/${profile}/state`,
  stateAll: `${TOPIC_ROOT}/recordings/+/+/state`,
  /** An export job's progress (RecordingExportProgressMessage), published by the worker making it. */
  exportProgress: (exportId: string) => `${TOPIC_ROOT}/exports/${exportId}/progress`,
  exportProgressAll: `${TOPIC_ROOT}/exports/+/progress`,
} as const;

/** One stream to record, as the plan says. */
export interface RecordingPlanEntry extends StreamKey {
  mode: RecordingMode;
  /** buffer mode: minutes kept behind live. */
  bufferMinutes?: number;
  /** Days a segment is kept (the longest of the matching rules); holds keep spans longer. */
  retentionDays: number;
  /** continuous mode: the worker that must hold the session and record it (chosen by free disk, then load). */
  workerId?: string;
  /** The rules this entry comes from (ids), for the state and the audit. */
  ruleIds: string[];
}

export interface RecordingPlanMessage {
  /** Grows with every plan of any partitioner (the lease fence): a worker ignores a version it has passed. */
  version: number;
  compiledAt: string;
  compiledBy: string;
  entries: RecordingPlanEntry[];
}

export const RECORDING_STATES = ['recording', 'stopped', 'failed', 'disk-full'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

/** RecordingTopics.state(cameraId, profile), retained. */
export interface RecordingStateMessage {
  state: RecordingState;
  workerId: string;
  mode: RecordingMode;
  /** Bytes written per second over the last minute. */
  bytesPerSecond: number;
  /** End of the newest segment indexed (ISO 8601), if any. */
  lastSegmentEnd?: string;
  reason?: string;
  at: string;
}

export const EXPORT_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

/**
 * Why an export failed: the closed set of codes in `recording_exports.failure` (as `<code>` or `<code>: <detail>`,
 * exportFailureOf splits them) and in GET /api/exports/:id `failure`, so that a console translates the code
 * and shows the detail as it is.
 * - `worker-restarted`: the worker making it died or was killed mid-job; found by that worker at its next start
 * - `worker-stopped`: the worker was shut down mid-job (or before a queued job began)
 * - `not-taken`: the worker holding the range refused the job (detail: why)
 * - `worker-unreachable`: the worker holding the range did not answer the command in time
 * - `ffmpeg-failed`: the stream copy failed (detail: ffmpeg's last lines)
 * - `io-failed`: reading the segments or writing the file failed (detail: the error)
 * - `cancelled`: deleted while it ran (DELETE /api/exports/:id)
 */
export const EXPORT_FAILURES = ['worker-restarted', 'worker-stopped', 'not-taken', 'worker-unreachable', 'ffmpeg-failed', 'io-failed', 'cancelled'] as const;
export type ExportFailure = (typeof EXPORT_FAILURES)[number];

/** Pure: the stored failure text of a failure code and its detail (at most 2000 characters). */
export function exportFailureText(code: ExportFailure, detail?: string): string {
  return (detail ? `${code}: ${detail}` : code).slice(0, 2000);
}

/** Pure: the code and detail of a stored failure text; a text without a known code (older rows) is `io-failed` with the text as detail. */
export function exportFailureOf(text: string | null | undefined): { code: ExportFailure; detail: string | null } | undefined {
  if (!text) return undefined;
  const m = /^([a-z-]+)(?::\s*([\s\S]*))?$/.exec(text);
  const code = m?.[1] as ExportFailure | undefined;
  if (m && code && (EXPORT_FAILURES as readonly string[]).includes(code)) return { code, detail: m[2] || null };
  return { code: 'io-failed', detail: text };
}

export interface RecordingExportProgressMessage {
  exportId: string;
  state: ExportState;
  /** 0..1 */
  progress: number;
  sha256?: string;
  bytes?: number;
  /** state failed: the stored failure text (`<code>[: <detail>]`, exportFailureOf). */
  reason?: string;
  at: string;
}

/** The heartbeat addition of a worker with recording storage: each root's free bytes and quota. */
export interface RecordingStorageOffer {
  roots: { id: string; freeBytes: number; quotaBytes: number; usedBytes: number }[];
}

/*
 * Playback (HLS VOD of recorded segments), served by the worker that holds the files and reached through the
 * gateway like live HLS: `/vod/<cameraId>/<profile>/<file>?from=<ISO>&to=<ISO>&token=…` where file is
 * `index.m3u8`, an init `init_<hash>.mp4` or a segment `<segmentId>.m4s`. The token is a playback token bound
 * to user, camera, profile and the [from, to) range (libs/access), checked on every request.
 */
export const VOD_PLAYLIST_NAME = 'index.m3u8';

export interface VodFileRef extends StreamKey {
  file: string;
}

export function vodPathOf(key: StreamKey, file: string = VOD_PLAYLIST_NAME): string {
  return `/vod/${encodeURIComponent(key.cameraId)}/${key.profile}/${file}`;
}

/** Pure: `/vod/<cameraId>/<profile>/<file>` (query ignored) with valid parts (.m3u8, .mp4 or .m4s), else undefined. */
export function parseVodPath(url: string | undefined): VodFileRef | undefined {
  const parts = streamPathParts(url, 'vod');
  const key = parts && parseStreamKey(parts.cameraId, parts.profile);
  const file = parts?.last;
  const ok = isSafeFileName(file) && !file.includes('..') && /\.(m3u8|mp4|m4s)$/.test(file);
  return key && ok ? { ...key, file } : undefined;
}

export type { StreamProfile };
