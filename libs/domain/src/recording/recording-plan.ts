import type { JurisdictionTree } from '../jurisdiction-tree';

/**
 * The recording plan, pure (docs/recording.md, "Rules"): which streams are recorded, how, and by which worker.
 * The acting partitioner compiles it from the rules, the cameras and the tree, and publishes it
 * (RecordingTopics.plan); the shapes here match libs/contracts RecordingPlanEntry.
 */

export type PlanMode = 'continuous' | 'buffer';
export type PlanProfile = 'main' | 'sub';

/** The fields of a rule the plan reads. */
export interface PlanRule {
  id: string;
  targetType: 'camera' | 'tag' | 'jurisdiction';
  targetValue: string;
  mode: PlanMode;
  bufferMinutes: number | null;
  profile: PlanProfile;
  retentionDays: number;
  jurisdictionId: string;
  enabled: boolean;
}

export interface PlanCamera {
  id: string;
  jurisdictionId: string | null;
  tags: readonly string[];
}

export interface PlanEntry {
  cameraId: string;
  profile: PlanProfile;
  mode: PlanMode;
  /** buffer mode only: the largest of the matching buffer rules. */
  bufferMinutes?: number;
  retentionDays: number;
  /** continuous mode, once assigned. */
  workerId?: string;
  ruleIds: string[];
}

/** A buffer rule without its minutes (never stored so, but a plan does not trust that). */
const FALLBACK_BUFFER_MINUTES = 5;

/**
 * Rules × cameras → one entry per (camera, profile) matched by at least one enabled rule, sorted by camera and
 * profile. A rule matches only cameras placed inside its own node's subtree (a rule whose node left the tree
 * matches nothing):
 * - `camera`: that camera;
 * - `tag`: the cameras carrying the tag;
 * - `jurisdiction`: the cameras of the target node's subtree (a target outside the rule's subtree matches nothing).
 * An entry is `continuous` when any matching rule is, else `buffer` with the largest `bufferMinutes`;
 * `retentionDays` is the largest of all matching rules; `ruleIds` are all of them, sorted.
 */
export function planRecordings(rules: readonly PlanRule[], cameras: readonly PlanCamera[], tree: JurisdictionTree): PlanEntry[] {
  const placed = cameras.filter((c) => c.jurisdictionId !== null && tree.has(c.jurisdictionId));
  const byId = new Map(placed.map((c) => [c.id, c]));
  const byTag = new Map<string, PlanCamera[]>();
  for (const c of placed) for (const t of new Set(c.tags)) (byTag.get(t) ?? byTag.set(t, []).get(t)!).push(c);

  const within = (rootId: string) => (c: PlanCamera) => tree.isInSubtree(rootId, c.jurisdictionId!);
  const matches = (rule: PlanRule): PlanCamera[] => {
    if (!rule.enabled || !tree.has(rule.jurisdictionId)) return [];
    const inRule = within(rule.jurisdictionId);
    switch (rule.targetType) {
      case 'camera': {
        const c = byId.get(rule.targetValue);
        return c && inRule(c) ? [c] : [];
      }
      case 'tag':
        return (byTag.get(rule.targetValue) ?? []).filter(inRule);
      case 'jurisdiction':
        return tree.has(rule.targetValue) && tree.isInSubtree(rule.jurisdictionId, rule.targetValue) ? placed.filter(within(rule.targetValue)) : [];
    }
  };

  const entries = new Map<string, { cameraId: string; profile: PlanProfile; rules: PlanRule[] }>();
  for (const rule of rules) {
    for (const c of matches(rule)) {
      const key = `${c.id}/${rule.profile}`;
      (entries.get(key) ?? entries.set(key, { cameraId: c.id, profile: rule.profile, rules: [] }).get(key)!).rules.push(rule);
    }
  }
  return [...entries.values()].sort(byStream).map(({ cameraId, profile, rules: matched }) => {
    const continuous = matched.some((r) => r.mode === 'continuous');
    const entry: PlanEntry = {
      cameraId,
      profile,
      mode: continuous ? 'continuous' : 'buffer',
      retentionDays: Math.max(...matched.map((r) => r.retentionDays)),
      ruleIds: [...new Set(matched.map((r) => r.id))].sort(),
    };
    if (!continuous) entry.bufferMinutes = Math.max(...matched.map((r) => r.bufferMinutes ?? FALLBACK_BUFFER_MINUTES));
    return entry;
  });
}

/** A worker's recording offer as the planner sees it (from its heartbeat). */
export interface StorageOffer {
  workerId: string;
  /** Free bytes over its storage roots. */
  freeBytes: number;
  /** Its live load (the heartbeat's). */
  load: number;
  /** Heard recently. */
  alive: boolean;
}

/**
 * Gives each continuous entry a worker among the alive offers (buffer entries get none: the worker holding the
 * live session keeps the buffer). Sticky: an entry keeps the worker of `previous` while that worker is alive
 * and offers storage. The others go, in camera/profile order, to the worker with the most free bytes per
 * stream it records in this plan (`freeBytes / (1 + streams)`: the first goes to the most free bytes, the next
 * ones spread in proportion to free space), ties by lowest load, then by worker id. Without any offer, a
 * continuous entry stays unassigned (nobody records it). Answers new entries; the inputs are not changed.
 */
export function assignWorkers(entries: readonly PlanEntry[], offers: readonly StorageOffer[], previous: readonly Pick<PlanEntry, 'cameraId' | 'profile' | 'workerId'>[] = []): PlanEntry[] {
  const alive = new Map(offers.filter((o) => o.alive).map((o) => [o.workerId, { offer: o, streams: 0 }]));
  const before = new Map(previous.filter((p) => p.workerId !== undefined).map((p) => [`${p.cameraId}/${p.profile}`, p.workerId!]));
  const out = entries.map((e) => {
    const { workerId: _dropped, ...rest } = e;
    return rest as PlanEntry;
  });
  const open: PlanEntry[] = [];
  for (const e of out) {
    if (e.mode !== 'continuous') continue;
    const sticky = before.get(`${e.cameraId}/${e.profile}`);
    const held = sticky === undefined ? undefined : alive.get(sticky);
    if (held) {
      e.workerId = sticky;
      held.streams++;
    } else open.push(e);
  }
  for (const e of [...open].sort(byStream)) {
    let best: { offer: StorageOffer; streams: number } | undefined;
    for (const w of alive.values()) if (!best || better(w, best)) best = w;
    if (!best) break;
    e.workerId = best.offer.workerId;
    best.streams++;
  }
  return out;
}

function better(a: { offer: StorageOffer; streams: number }, b: { offer: StorageOffer; streams: number }): boolean {
  const fa = a.offer.freeBytes / (1 + a.streams);
  const fb = b.offer.freeBytes / (1 + b.streams);
  if (fa !== fb) return fa > fb;
  if (a.offer.load !== b.offer.load) return a.offer.load < b.offer.load;
  return a.offer.workerId < b.offer.workerId;
}

function byStream(a: { cameraId: string; profile: string }, b: { cameraId: string; profile: string }): number {
  return a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0;
}
