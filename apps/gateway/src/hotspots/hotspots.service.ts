import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { AreaLevel, computeHotspots, HotspotCell, hotspotAreas, PointGridIndex, rollUpCounts, toWebMercator, topAreas as rankCounts } from '@tiergate/domain';
import { AnalysisScopeResolver } from '../incidents/analysis-scope.resolver';
import { CameraRepository, IncidentFilter, IncidentRepository } from '@tiergate/persistence';
import { mercatorPoints } from './camera-points';
import { HotspotAreasView, HotspotCellView, HotspotsView, HotspotSummaryView, toCellView } from './hotspot.view';

export interface HotspotParams {
  type?: string;
  from?: Date;
  to?: Date;
  cellSize?: number;
  radius?: number;
  jurisdictionId?: string;
}

/** How many hot cells the summary lists. */
export const SUMMARY_TOP_CELLS = 10;

/**
 * Hotspot analysis for a caller: Gi* over the incidents of its scope (CONTRACT.md "Hotspots"), with the
 * visible cameras near each cell, and the "three highs" summary (areas, times, types).
 */
@Injectable()
export class HotspotsService {
  constructor(
    private readonly analysisScopes: AnalysisScopeResolver,
    private readonly incidents: IncidentRepository,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async analyse(principal: Principal, params: HotspotParams): Promise<HotspotsView> {
    const scope = await this.analysisScopes.resolve(principal, params.jurisdictionId);
    const [points, cameraPoints] = await Promise.all([
      this.incidents.points(filterOf(scope.jurisdictionIds, params)),
      this.scopes.scopeOf(principal).then(async (s) => mercatorPoints(await this.cameras.visiblePositions(s))),
    ]);
    const result = computeHotspots({ incidents: points, studyArea: scope.studyArea, cellSize: params.cellSize, radius: params.radius });
    const index = new PointGridIndex(cameraPoints, result.radius);
    return {
      cellSize: result.cellSize,
      radius: result.radius,
      n: result.n,
      cells: result.cells.map((c) => toCellView(c, index.within(c.centreMercator, result.radius))),
    };
  }

  /**
   * The hotspot areas of the same analysis (docs/methods.md "Hotspot areas"): hot cells at `level` or above merged
   * by edge or corner, named by the caller's jurisdiction holding most of their cells and their nearest visible
   * garage or camera. Only cameras the caller may see are measured, so no other station's camera is ever named.
   */
  async areas(principal: Principal, params: HotspotParams & { confidence?: AreaLevel }): Promise<HotspotAreasView> {
    const scope = await this.analysisScopes.resolve(principal, params.jurisdictionId);
    const [points, visible] = await Promise.all([
      this.incidents.points(filterOf(scope.jurisdictionIds, params)),
      this.scopes.scopeOf(principal).then((s) => this.cameras.list(s, {})),
    ]);
    const result = computeHotspots({ incidents: points, studyArea: scope.studyArea, cellSize: params.cellSize, radius: params.radius });
    const level = params.confidence ?? 90;
    const { tree, node } = scope;
    const areas = hotspotAreas({
      cells: result.cells,
      cellSize: result.cellSize,
      radius: result.radius,
      level,
      // The caller's own nodes only: the deepest of its subtree containing the point (CONTRACT.md's placement rule).
      locate: (lon, lat) => tree.locate(lon, lat, node?.id),
      cameras: visible.rows.flatMap((c) => (c.lat === null || c.lon === null ? [] : [{ id: c.id, name: c.name, tags: c.tags, ...toWebMercator(Number(c.lon), Number(c.lat)) }])),
    });
    return {
      cellSize: result.cellSize,
      radius: result.radius,
      n: result.n,
      confidence: level,
      jurisdiction: node ? { id: node.id, code: node.code, name: node.name, tier: node.tier } : null,
      type: params.type ?? null,
      areas,
    };
  }

  async summary(principal: Principal, params: HotspotParams): Promise<HotspotSummaryView> {
    const scope = await this.analysisScopes.resolve(principal, params.jurisdictionId);
    const filter = filterOf(scope.jurisdictionIds, params);
    const utcOffsetMinutes = this.config.analysis.utcOffsetMinutes;
    const [profile, points] = await Promise.all([this.incidents.profile(filter, utcOffsetMinutes), this.incidents.points(filter)]);
    const { tree } = scope;

    const perNode = new Map<string, number>();
    for (const r of profile.perJurisdiction) if (r.id) perNode.set(r.id, r.count);
    const rolled = rollUpCounts(perNode, (id) => (tree.has(id) ? tree.ancestors(id).map((n) => n.id) : []));
    const total = profile.perJurisdiction.reduce((a, r) => a + r.count, 0);
    // The areas one level below the analysed node; for the whole tree, below a single top-level node
    // (a sub-bureau's stations say more than the sub-bureau alone).
    const roots = tree.roots();
    const areas = scope.node ? tree.children(scope.node.id) : roots.length === 1 ? tree.children(roots[0].id) : roots;
    const topAreas = areas
      .map((n) => ({ id: n.id, code: n.code, name: n.name, tier: n.tier, count: rolled.get(n.id) ?? 0 }))
      .map((a) => ({ ...a, share: total > 0 ? a.count / total : 0 }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

    const hot = computeHotspots({ incidents: points, studyArea: scope.studyArea, cellSize: params.cellSize, radius: params.radius });
    const topCells: HotspotCellView[] = hot.cells
      .filter((c: HotspotCell) => c.z > 0)
      .slice(0, SUMMARY_TOP_CELLS)
      .map((c) => toCellView(c));

    const hourWeekday = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const r of profile.perWeekdayHour) hourWeekday[r.isoWeekday - 1][r.hour] += r.count;
    const typeMix = rankCounts(new Map(profile.perType.map((r) => [r.type, r.count]))).map(({ id, count, share }) => ({ type: id, count, share }));
    return { jurisdictionId: scope.node?.id ?? null, total, topAreas, topCells, hourWeekday, utcOffsetMinutes, typeMix };
  }
}

function filterOf(jurisdictionIds: readonly string[] | undefined, p: HotspotParams): IncidentFilter {
  return { jurisdictionIds, type: p.type, from: p.from, to: p.to };
}
