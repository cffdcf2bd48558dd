// What a raised alert level does to a wall (docs/methods.md "Alert levels"): pure functions, no imports, so a unit
// spec runs exactly this code (apps/gateway/src/console/alert-order.spec.ts).

/** The shortest tour dwell, seconds (the wall's own minimum). */
export const MIN_DWELL_SECONDS = 3;

/**
 * `cameras` (the wall's list, in its order) as the level in force wants them: the hotspot cameras first in the
 * order of `effects.hotspotCameraIds` (only with `hotspotsFirst`), then those having any of `effects.priorityTags`,
 * then the rest; each group keeps the wall's order. No effects (or level 1's): the list unchanged. A new array.
 */
export function alertOrder(cameras, effects) {
  const list = [...cameras];
  if (!effects) return list;
  const hotRank = new Map((effects.hotspotsFirst ? effects.hotspotCameraIds ?? [] : []).map((id, i) => [id, i]));
  const tags = new Set(effects.priorityTags ?? []);
  const hot = [];
  const tagged = [];
  const rest = [];
  for (const c of list) {
    if (c && hotRank.has(c.id)) hot.push(c);
    else if (c && (c.tags ?? []).some((t) => tags.has(t))) tagged.push(c);
    else rest.push(c);
  }
  hot.sort((a, b) => hotRank.get(a.id) - hotRank.get(b.id));
  return [...hot, ...tagged, ...rest];
}

/** The tour dwell under the level: `seconds` × `dwellFactor`, whole seconds, at least MIN_DWELL_SECONDS. */
export function alertDwellSeconds(seconds, effects) {
  const factor = effects && Number.isFinite(effects.dwellFactor) ? effects.dwellFactor : 1;
  return Math.max(MIN_DWELL_SECONDS, Math.round(seconds * factor));
}
