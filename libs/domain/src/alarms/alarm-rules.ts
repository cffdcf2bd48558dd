/**
 * Pure alarm rules (docs/alarms.md): which camera events become alarms, and how a repeat is folded into the
 * alarm before it instead of making a new one.
 */

/** The camera events Tiergate turns into alarms: motion and tamper only (issue 15). */
export const CAMERA_EVENT_KINDS = ['motion', 'tamper'] as const;
export type CameraEventKind = (typeof CAMERA_EVENT_KINDS)[number];

export const isCameraEventKind = (v: unknown): v is CameraEventKind => typeof v === 'string' && (CAMERA_EVENT_KINDS as readonly string[]).includes(v);

/**
 * Every kind an alarm row may have: the camera events, and `patrol` (an abnormal patrol mark whose officer asked for
 * an alarm, issue 16). A patrol alarm is never folded: each such mark is its own alarm.
 */
export const ALARM_KINDS = [...CAMERA_EVENT_KINDS, 'patrol'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export const isAlarmKind = (v: unknown): v is AlarmKind => typeof v === 'string' && (ALARM_KINDS as readonly string[]).includes(v);

/** A patrol mark raises an alarm only when it is abnormal and its officer asked for one (`raiseAlarm` defaults to false). */
export const patrolMarkRaisesAlarm = (mark: { result: 'normal' | 'abnormal'; raiseAlarm?: boolean }): boolean => mark.result === 'abnormal' && mark.raiseAlarm === true;

/**
 * Whether acknowledging an alarm also ends it (`active` false, `endedAt` the acknowledgement's time). A camera event's
 * alarm ends when the camera sends the end (the acknowledgement leaves `active` as the camera reports it); a patrol
 * alarm has no end event, so it is active until someone acknowledges it.
 */
export const acknowledgeEndsAlarm = (kind: AlarmKind): boolean => kind === 'patrol';

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
