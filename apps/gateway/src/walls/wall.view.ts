import type { CameraBrief, WallRecord } from '@tiergate/persistence';

export interface WallSummaryView {
  id: string;
  name: string;
  kind: string;
  jurisdictionId: string | null;
  source: Record<string, unknown> | null;
  createdAt: string;
}

export interface WallView extends WallSummaryView {
  /** Only the cameras the caller may see, in the wall's order. */
  cameras: CameraBrief[];
}

export const toWallSummary = (w: WallRecord): WallSummaryView => ({
  id: w.id,
  name: w.name,
  kind: w.kind,
  jurisdictionId: w.jurisdictionId,
  source: w.source,
  createdAt: new Date(w.createdAt).toISOString(),
});
