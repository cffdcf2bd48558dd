import type { AreaLevel, AreaShare, HotspotArea, HotspotCell, TypeShare } from '@tiergate/domain';

/** A cell as the API shows it: the domain's cell without the internal Mercator centre, plus nearby cameras. */
export type HotspotCellView = Omit<HotspotCell, 'centreMercator'> & { cameras?: string[] };

export interface HotspotsView {
  cellSize: number;
  radius: number;
  n: number;
  cells: HotspotCellView[];
}

export interface TopAreaView extends Omit<AreaShare, 'id'> {
  id: string;
  code: string;
  name: string;
  tier: string;
}

export interface HotspotSummaryView {
  /** The node summarised; null for the built-in admin's whole tree. */
  jurisdictionId: string | null;
  total: number;
  /** Child nodes of the chosen node (top-level nodes for the whole tree), counts including their subtree. */
  topAreas: TopAreaView[];
  /** The hottest cells (z > 0), at most 10, by z descending. */
  topCells: HotspotCellView[];
  /** hourWeekday[weekday][hour], weekday 0 = Monday, in the configured local offset. */
  hourWeekday: number[][];
  utcOffsetMinutes: number;
  typeMix: TypeShare[];
}

export function toCellView(c: HotspotCell, cameras?: string[]): HotspotCellView {
  const view: HotspotCellView = { x: c.x, y: c.y, count: c.count, z: c.z, p: c.p, confidence: c.confidence, centre: c.centre };
  if (cameras) view.cameras = cameras;
  return view;
}

/** GET /api/hotspots/areas (docs/methods.md "Hotspot areas"). */
export interface HotspotAreasView {
  cellSize: number;
  radius: number;
  n: number;
  /** The least confidence (%) of an area's cells, as asked. */
  confidence: AreaLevel;
  /** The node analysed; null for the built-in admin's whole tree. */
  jurisdiction: { id: string; code: string; name: string; tier: string } | null;
  /** The incident type analysed; null for all types. */
  type: string | null;
  areas: HotspotArea[];
}
