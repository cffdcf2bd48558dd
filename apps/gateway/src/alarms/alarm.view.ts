import type { CameraAlarmMessage } from '@tiergate/contracts';
import type { AlarmKind } from '@tiergate/domain';
import type { AlarmChange, CameraAlarmRecord } from '@tiergate/persistence';

/** What a patrol alarm was raised from: the abnormal mark (its round and stop, the officer's note and username, the snapshot reference). */
export interface PatrolAlarmView {
  roundId: string;
  stopIndex: number;
  note: string | null;
  markedBy: string;
  /** The camera's snapshot endpoint, as on the mark (docs/methods.md "Patrol rounds"). */
  snapshotUrl: string;
}

/** An alarm as the API and the event stream show it (docs/alarms.md). */
export interface AlarmView {
  id: string;
  cameraId: string;
  cameraName: string;
  kind: AlarmKind;
  /** new: not acknowledged yet. */
  state: 'new' | 'acknowledged';
  /** The camera still reports the event. */
  active: boolean;
  startedAt: string;
  lastEventAt: string;
  endedAt: string | null;
  /** Starts folded into this alarm (1 + repeats within the dedup window). */
  count: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** The acknowledgement's note. */
  note: string | null;
  /** kind `patrol` only; null for camera events. */
  patrol: PatrolAlarmView | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function alarmView(r: CameraAlarmRecord): AlarmView {
  return {
    id: r.id,
    cameraId: r.cameraId,
    cameraName: r.cameraName,
    kind: r.kind,
    state: r.state,
    active: r.active,
    startedAt: iso(r.startedAt)!,
    lastEventAt: iso(r.lastEventAt)!,
    endedAt: iso(r.endedAt),
    count: r.eventCount,
    acknowledgedAt: iso(r.acknowledgedAt),
    acknowledgedBy: r.acknowledgedByName,
    note: r.note,
    patrol:
      r.kind === 'patrol' && r.roundId
        ? { roundId: r.roundId, stopIndex: r.stopIndex ?? 0, note: r.markNote, markedBy: r.markedByName ?? '', snapshotUrl: `/api/cameras/${r.cameraId}/snapshot` }
        : null,
  };
}

/** The bus message of a changed alarm (every gateway pushes it to the streams that may see the camera). */
export function alarmMessage(r: CameraAlarmRecord, change: AlarmChange): CameraAlarmMessage {
  const v = alarmView(r);
  return {
    id: v.id,
    cameraId: v.cameraId,
    kind: v.kind,
    state: v.state,
    active: v.active,
    startedAt: v.startedAt,
    lastEventAt: v.lastEventAt,
    count: v.count,
    change,
    ...(v.endedAt ? { endedAt: v.endedAt } : {}),
    ...(v.acknowledgedAt ? { acknowledgedAt: v.acknowledgedAt } : {}),
    ...(v.acknowledgedBy ? { acknowledgedBy: v.acknowledgedBy } : {}),
    ...(v.note ? { note: v.note } : {}),
  };
}
