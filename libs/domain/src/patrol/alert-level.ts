import type { JurisdictionTree } from '../jurisdiction-tree';

export const ALERT_LEVELS = [1, 2, 3] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** A node's own level as set (level 1 rows are a return to normal). */
export interface OwnAlertLevel {
  jurisdictionId: string;
  level: AlertLevel;
  reason: string;
  expiresAtMs: number | null;
}

export interface EffectiveAlertLevel {
  level: AlertLevel;
  /** The node whose own level this is (null: level 1, nothing raised). */
  sourceJurisdictionId: string | null;
  reason: string | null;
  expiresAtMs: number | null;
}

export const isActive = (own: OwnAlertLevel, nowMs: number): boolean => own.level > 1 && (own.expiresAtMs === null || own.expiresAtMs > nowMs);

/**
 * The level in force at a node (docs/methods.md, "Alert levels"): the highest unexpired own level of the node
 * and its ancestors. A station cannot go below what the command centre above it set; on a tie the nearest
 * node's entry is answered. Expired entries count as level 1.
 */
export function effectiveAlertLevel(tree: JurisdictionTree, jurisdictionId: string, own: ReadonlyMap<string, OwnAlertLevel>, nowMs: number): EffectiveAlertLevel {
  let best: EffectiveAlertLevel = { level: 1, sourceJurisdictionId: null, reason: null, expiresAtMs: null };
  const chain = [jurisdictionId, ...tree.ancestors(jurisdictionId).map((n) => n.id)];
  for (const id of chain) {
    const entry = own.get(id);
    if (entry && isActive(entry, nowMs) && entry.level > best.level) best = { level: entry.level, sourceJurisdictionId: id, reason: entry.reason, expiresAtMs: entry.expiresAtMs };
  }
  return best;
}

/** What a level changes (config `alerts.level2.*`, `alerts.level3.*`). */
export interface AlertEffects {
  /** Walls show the node's hotspot cameras first. */
  hotspotsFirst: boolean;
  /** Cameras with these tags follow the hotspot cameras (e.g. garage). */
  priorityTags: string[];
  /** Multiply tour and patrol dwell times by this (≤ 1). */
  dwellFactor: number;
  /** Multiply patrol intervals by this (≤ 1: rounds more often). */
  patrolIntervalFactor: number;
  /** Post PCs of the node's subtree show an alert banner. */
  alertPostPcs: boolean;
}

export const NORMAL_EFFECTS: AlertEffects = { hotspotsFirst: false, priorityTags: [], dwellFactor: 1, patrolIntervalFactor: 1, alertPostPcs: false };

export type AlertEffectsTable = Readonly<Record<2 | 3, AlertEffects>>;

export const effectsOf = (level: AlertLevel, table: AlertEffectsTable): AlertEffects => (level === 1 ? NORMAL_EFFECTS : table[level]);

/** An interval shortened by the factor, whole minutes, at least 1. */
export const raisedInterval = (everyMinutes: number, effects: AlertEffects): number => Math.max(1, Math.round(everyMinutes * effects.patrolIntervalFactor));
