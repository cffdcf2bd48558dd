/** One observation of a player's position: wall-clock time (ms) and media time (s, any unit that grows). */
export interface PositionSample {
  at: number;
  t: number;
}

/**
 * Pure: the longest wall-clock stretch within [from, to] during which the media position did not move forward
 * (a frozen picture, whatever the player's reason): from the sample that reached the furthest position to the last
 * sample still there (a position that went back counts as frozen until it passes that point again). Resolution: the
 * sampling period.
 */
export function longestStallMs(samples: readonly PositionSample[], from: number, to: number): number {
  let worst = 0;
  let best: PositionSample | undefined; // the furthest position so far, when it was first reached
  for (const s of samples) {
    if (s.at > to) break;
    if (!best || s.t > best.t) best = s;
    else if (s.at >= from) worst = Math.max(worst, s.at - Math.max(best.at, from));
  }
  return worst;
}

/** Pure: media time played within [from, to] (s), from the samples' positions. */
export function playedWithin(samples: readonly PositionSample[], from: number, to: number): number {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  if (inside.length < 2) return 0;
  return Math.max(0, inside[inside.length - 1]!.t - inside[0]!.t);
}
