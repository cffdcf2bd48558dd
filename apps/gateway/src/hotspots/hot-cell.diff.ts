/** Pure comparison of hot cells between two analyses of the same node. */

/** Counts of the hot cells last seen, by "x,y". */
export type HotCellState = Record<string, number>;

export interface HotCellChange {
  kind: 'new' | 'grown';
  cell: { x: number; y: number; count: number; z: number };
}

/** z of a hot spot at 95 % confidence or more. */
export const HOT_95_Z = 1.96;

/**
 * Cells hot at 95 % or more now: "new" when they were not hot before, "grown" when they were and their
 * count rose. Returns the changes (by z descending, as given) and the state to keep for next time.
 */
export function diffHotCells(previous: HotCellState, cells: ReadonlyArray<{ x: number; y: number; count: number; z: number }>): { changes: HotCellChange[]; state: HotCellState } {
  const state: HotCellState = {};
  const changes: HotCellChange[] = [];
  for (const c of cells) {
    if (!(c.z >= HOT_95_Z)) continue;
    const key = `${c.x},${c.y}`;
    state[key] = c.count;
    const before = previous[key];
    const cell = { x: c.x, y: c.y, count: c.count, z: c.z };
    if (before === undefined) changes.push({ kind: 'new', cell });
    else if (c.count > before) changes.push({ kind: 'grown', cell });
  }
  return { changes, state };
}
