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

export interface RecordingExportProgressMessage {
  exportId: string;
  state: ExportState;
  /** 0..1 */
  progress: number;
  sha256?: string;
  bytes?: number;
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
