/** One stop of a patrol route: a camera, a whole post (every camera of its subtree) or the cameras carrying a tag. */
export type PatrolStop =
  | { kind: 'camera'; cameraId: string; dwellSeconds: number }
  | { kind: 'jurisdiction'; jurisdictionId: string; dwellSeconds: number }
  | { kind: 'tag'; tag: string; dwellSeconds: number };

/** When a route is due: every N minutes inside a daily local-time window (may cross midnight), or only by hand. */
export type PatrolSchedule = { kind: 'interval'; everyMinutes: number; from: string; to: string } | { kind: 'ad-hoc' };

export type MarkResult = 'normal' | 'abnormal';

/** The tunables of docs/methods.md, "Patrol rounds: on time, completed, missed" (config `patrol.*`). */
export interface PatrolRules {
  /** A round is on time when it starts at most this many minutes before or after its planned time. */
  onTimeMinutes: number;
  /** A finished round is completed when at least this share (percent) of its stops has a mark. */
  completedPercent: number;
  /** A planned round with no round started by plannedAt + this many minutes is missed. */
  missedAfterMinutes: number;
}

export const DEFAULT_PATROL_RULES: PatrolRules = { onTimeMinutes: 15, completedPercent: 90, missedAfterMinutes: 60 };
