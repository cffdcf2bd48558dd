import type { PatrolRules } from './patrol.types';

/** What the classification needs of a stored round. */
export interface RoundFacts {
  plannedAtMs: number;
  startedAtMs: number;
  finishedAtMs: number | null;
  stopCount: number;
  /** Stops with at least one mark. */
  markedStops: number;
}

export type SlotStatus = 'pending' | 'missed' | 'in-progress' | 'finished';

/** A planned round (a slot of a schedule) with its round, if one was started, classified. */
export interface SlotOutcome {
  status: SlotStatus;
  /** Started within ±onTimeMinutes of the planned time (null: not started). */
  onTime: boolean | null;
  /** Started more than onTimeMinutes after the planned time (null: not started). */
  late: boolean | null;
  /** Finished with at least completedPercent of the stops marked (null: not finished). */
  completed: boolean | null;
  /** Counted in the fulfilment rate's denominator: missed, or its round is finished. */
  due: boolean;
  /** Counted in the numerator: finished, on time and completed. */
  fulfilled: boolean;
}

const MINUTE = 60_000;

export function isOnTime(plannedAtMs: number, startedAtMs: number, rules: PatrolRules): boolean {
  return Math.abs(startedAtMs - plannedAtMs) <= rules.onTimeMinutes * MINUTE;
}

export function isLate(plannedAtMs: number, startedAtMs: number, rules: PatrolRules): boolean {
  return startedAtMs - plannedAtMs > rules.onTimeMinutes * MINUTE;
}

/** markedStops / stopCount ≥ completedPercent / 100, in integers (a round with no stops is complete). */
export function isCompleted(markedStops: number, stopCount: number, rules: PatrolRules): boolean {
  return markedStops * 100 >= rules.completedPercent * stopCount;
}

/**
 * A slot planned at `plannedAtMs`, and the round started for it if any, at `nowMs` (docs/methods.md,
 * "Patrol rounds: on time, completed, missed"). Without a round it is missed from plannedAt +
 * missedAfterMinutes on, pending before; a started round is in progress until finished.
 */
export function classifySlot(plannedAtMs: number, round: RoundFacts | undefined, rules: PatrolRules, nowMs: number): SlotOutcome {
  if (!round) {
    const missed = nowMs >= plannedAtMs + rules.missedAfterMinutes * MINUTE;
    return { status: missed ? 'missed' : 'pending', onTime: null, late: null, completed: null, due: missed, fulfilled: false };
  }
  const onTime = isOnTime(plannedAtMs, round.startedAtMs, rules);
  const late = isLate(plannedAtMs, round.startedAtMs, rules);
  if (round.finishedAtMs === null) return { status: 'in-progress', onTime, late, completed: null, due: false, fulfilled: false };
  const completed = isCompleted(round.markedStops, round.stopCount, rules);
  return { status: 'finished', onTime, late, completed, due: true, fulfilled: onTime && completed };
}
