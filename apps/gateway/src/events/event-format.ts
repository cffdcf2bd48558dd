import { namesEveryCamera, RecordingTopics, Topics, topicMatches } from '@tiergate/contracts';

/**
 * The console's push events (docs/events.md): what a bus message becomes on `GET /api/events`, and how one
 * is written as a Server-Sent Events frame. Framework-free and I/O-free.
 */

export interface CameraStatusEventData {
  cameraId: string;
  status: string;
  at: string;
  reason?: string;
}

export interface StreamStateEventData {
  cameraId: string;
  profile: string;
  state: string;
  at: string;
  reason?: string;
}

export interface RecordingStateEventData {
  cameraId: string;
  profile: string;
  state: string;
  mode: string;
  at: string;
  reason?: string;
}

/** A motion or tamper alarm created or changed (docs/alarms.md): the alarm as stored, and what changed. */
export interface AlarmEventData {
  id: string;
  cameraId: string;
  kind: string;
  state: string;
  active: boolean;
  startedAt: string;
  lastEventAt: string;
  endedAt: string | null;
  count: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
  change: string;
}

/** Cameras added, changed or removed; `complete: false` when the notice did not list them all (reload the list). */
export interface CamerasChangedEventData {
  change: string;
  cameraIds: string[];
  complete: boolean;
  at: string;
}

/** A node's own alert level as set (docs/methods.md "Alert levels"); the console reads the level in force again. */
export interface AlertLevelEventData {
  jurisdictionId: string;
  level: number;
  reason: string;
  expiresAt?: string;
  setBy: string;
  at: string;
}

/** The alert-level event of a retained `Topics.alertLevel` message, or undefined (a cleared one has no payload). */
export function alertLevelEventOf(topic: string, payload: unknown): AlertLevelEventData | undefined {
  if (payload === null || typeof payload !== 'object' || !topicMatches(Topics.alertLevelAll, topic)) return undefined;
  const p = payload as Record<string, unknown>;
  if (!str(p.jurisdictionId) || typeof p.level !== 'number' || !str(p.reason) || !str(p.setBy) || !str(p.at)) return undefined;
  const data: AlertLevelEventData = { jurisdictionId: p.jurisdictionId, level: p.level, reason: p.reason, setBy: p.setBy, at: p.at };
  return str(p.expiresAt) ? { ...data, expiresAt: p.expiresAt } : data;
}

/**
 * Whether a node's alert level concerns a user: the user sees the node (its scope holds it), or the level applies
 * where the user works (the node is the user's home or above it: a station's level reaches its posts' PCs).
 */
export function alertLevelConcerns(
  user: { home: string | null; seesNode: boolean },
  nodeId: string,
  isInSubtree: (rootId: string, id: string) => boolean,
): boolean {
  return user.seesNode || user.home === null || isInSubtree(nodeId, user.home);
}

/** Why the server ended a stream: the client reconnects after `shutdown` only. */
export const END_REASONS = ['session-ended', 'replaced', 'shutdown', 'too-slow'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** One camera's event: sent to a stream only if its user may see `cameraId`. */
export type CameraEvent =
  | { name: 'camera-status'; cameraId: string; data: CameraStatusEventData }
  | { name: 'stream-state'; cameraId: string; data: StreamStateEventData }
  | { name: 'recording-state'; cameraId: string; data: RecordingStateEventData }
  | { name: 'alarm'; cameraId: string; data: AlarmEventData };

const str = (v: unknown): v is string => typeof v === 'string';
const withReason = <T extends object>(data: T, reason: unknown): T => (str(reason) ? { ...data, reason } : data);

/**
 * The event of a camera-status, stream-state, recording-state or camera-alarm message (payloads as validated by the bus;
 * a cleared retained message has none), or undefined for any other topic or an empty payload. Only the
 * fields documented for the browser are copied (no worker ids, no byte rates).
 */
export function cameraEventOf(topic: string, payload: unknown): CameraEvent | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  const parts = topic.split('/');
  // tiergate/v1/<kind>/<cameraId>/...
  const cameraId = parts[3];
  if (!cameraId) return undefined;
  if (topicMatches(Topics.cameraStatusAll, topic) && str(p.status) && str(p.at)) {
    return { name: 'camera-status', cameraId, data: withReason({ cameraId, status: p.status, at: p.at }, p.reason) };
  }
  if (topicMatches(Topics.cameraAlarmAll, topic) && str(p.id) && str(p.kind) && str(p.state) && str(p.startedAt) && str(p.lastEventAt) && str(p.change)) {
    const opt = (v: unknown): string | null => (str(v) ? v : null);
    return {
      name: 'alarm',
      cameraId,
      data: {
        id: p.id,
        cameraId,
        kind: p.kind,
        state: p.state,
        active: p.active === true,
        startedAt: p.startedAt,
        lastEventAt: p.lastEventAt,
        endedAt: opt(p.endedAt),
        count: typeof p.count === 'number' ? p.count : 1,
        acknowledgedAt: opt(p.acknowledgedAt),
        acknowledgedBy: opt(p.acknowledgedBy),
        note: opt(p.note),
        change: p.change,
      },
    };
  }
  const profile = parts[4];
  if (!profile) return undefined;
  if (topicMatches(Topics.streamStateAll, topic) && str(p.state) && str(p.at)) {
    return { name: 'stream-state', cameraId, data: withReason({ cameraId, profile, state: p.state, at: p.at }, p.reason) };
  }
  if (topicMatches(RecordingTopics.stateAll, topic) && str(p.state) && str(p.at) && str(p.mode)) {
    return { name: 'recording-state', cameraId, data: withReason({ cameraId, profile, state: p.state, mode: p.mode, at: p.at }, p.reason) };
  }
  return undefined;
}

/** The cameras a camerasChanged notice names, and whether it names all it changed (big imports list at most 1000). */
export function camerasChangedOf(payload: unknown): { change: string; cameraIds: string[]; complete: boolean; at: string } | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  if (!str(p.change) || !Array.isArray(p.cameraIds)) return undefined;
  const cameraIds = p.cameraIds.filter(str);
  const complete = typeof p.count === 'number' && namesEveryCamera({ count: p.count, cameraIds });
  return { change: p.change, cameraIds, complete, at: str(p.at) ? p.at : new Date().toISOString() };
}

/** The cameras-changed event for one user: only the ids it may see; none at all when it sees none of a complete notice. */
export function camerasChangedFor(notice: { change: string; cameraIds: string[]; complete: boolean; at: string }, visible: ReadonlySet<string>): CamerasChangedEventData | undefined {
  const cameraIds = notice.cameraIds.filter((id) => visible.has(id));
  if (cameraIds.length === 0 && notice.complete) return undefined;
  return { change: notice.change, cameraIds, complete: notice.complete, at: notice.at };
}

/** One SSE frame (`event:` and one `data:` line of JSON; JSON.stringify never emits a raw newline). */
export function sseFrame(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The first bytes of every stream: the reconnect delay hint for EventSource. */
export const sseRetry = (ms: number): string => `retry: ${Math.round(ms)}\n\n`;

/** A comment line: keeps proxies and the browser from timing the stream out. */
export const SSE_PING = ': ping\n\n';
