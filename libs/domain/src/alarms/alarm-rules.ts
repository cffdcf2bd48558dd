/**
 * Pure alarm rules (docs/alarms.md): which camera events become alarms, and how a repeat is folded into the
 * alarm before it instead of making a new one.
 */

/** The camera events Tiergate turns into alarms: motion and tamper only (issue 15). */
export const CAMERA_EVENT_KINDS = ['motion', 'tamper'] as const;
export type CameraEventKind = (typeof CAMERA_EVENT_KINDS)[number];

export const isCameraEventKind = (v: unknown): v is CameraEventKind => typeof v === 'string' && (CAMERA_EVENT_KINDS as readonly string[]).includes(v);

/** The latest alarm of one camera and kind, as far as the rule needs it. */
export interface LatestAlarm {
  acknowledged: boolean;
  lastEventAtMs: number;
  /** The message that last changed it (a gateway that sees a message twice changes nothing the second time). */
  lastEventId: string | null;
  firstEventId: string;
  /** No end seen since its last start. */
  active: boolean;
}

export type AlarmDecision = { action: 'create' } | { action: 'repeat' } | { action: 'end' } | { action: 'none' };

/**
 * What an event does: a start (`state` true) makes a new alarm unless the latest alarm of the camera and kind is
 * not acknowledged and its last start was at most `windowMs` ago (then it is a repeat: counted, its time moved);
 * an end (`state` false) ends the latest alarm if it is still active; the same message seen again does nothing.
 */
export function decideAlarm(latest: LatestAlarm | undefined, event: { eventId: string; state: boolean; atMs: number }, windowMs: number): AlarmDecision {
  if (latest && (latest.lastEventId === event.eventId || latest.firstEventId === event.eventId)) return { action: 'none' };
  if (!event.state) return latest?.active ? { action: 'end' } : { action: 'none' };
  if (latest && !latest.acknowledged && event.atMs - latest.lastEventAtMs <= windowMs) return { action: 'repeat' };
  return { action: 'create' };
}
