import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@tiergate/access';
import { ScopeService } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import {
  computeEmergingHotspots,
  EMERGING_SIGNIFICANT_Z,
  EMERGING_TREND_ALPHA,
  PointGridIndex,
  sliceWindows,
  SliceUnit,
  startOfLocalSlice,
  TiergateError,
} from '@tiergate/domain';
import { CameraRepository, IncidentRepository } from '@tiergate/persistence';
import { AnalysisScopeResolver } from '../incidents/analysis-scope.resolver';
import { mercatorPoints } from './camera-points';
import { EmergingHotspotsView, toEmergingView } from './emerging-hotspots.view';

export interface EmergingParams {
  type?: string;
  from?: Date;
  to?: Date;
  slice?: SliceUnit;
  slices?: number;
  cellSize?: number;
  radius?: number;
  jurisdictionId?: string;
}

/**
 * Emerging hot spots of the caller's scope (docs/methods.md "Emerging hot spots"): the incidents of its
 * jurisdictions, sliced, Gi* per slice over its study area, a Mann-Kendall trend and a category per cell,
 * and patrol guidance (where and when next slice) with the visible cameras near each guided cell.
 */
@Injectable()
export class EmergingHotspotsService {
  constructor(
    private readonly analysisScopes: AnalysisScopeResolver,
    private readonly incidents: IncidentRepository,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  async analyse(principal: Principal, params: EmergingParams, now = Date.now()): Promise<EmergingHotspotsView> {
    if (params.from !== undefined && params.slices !== undefined) {
      throw new TiergateError('VALIDATION_FAILED', 'slices: give from or slices, not both');
    }
    const unit = params.slice ?? 'week';
    const utcOffsetMinutes = this.config.analysis.utcOffsetMinutes;
    const to = params.to?.getTime() ?? startOfLocalSlice(now, unit, utcOffsetMinutes);
    const windows = sliceWindows({ to, unit, slices: params.slices, from: params.from?.getTime() });
    const scope = await this.analysisScopes.resolve(principal, params.jurisdictionId);
    const filter = { jurisdictionIds: scope.jurisdictionIds, type: params.type, from: new Date(windows[0].from), to: new Date(to) };
    const [incidents, cameraPoints] = await Promise.all([
      this.incidents.timedPoints(filter),
      this.scopes.scopeOf(principal).then(async (s) => mercatorPoints(await this.cameras.visiblePositions(s))),
    ]);
    const result = computeEmergingHotspots({ incidents, studyArea: scope.studyArea, windows, cellSize: params.cellSize, radius: params.radius, utcOffsetMinutes });
    const index = new PointGridIndex(cameraPoints, result.radius);
    return toEmergingView(
      result,
      { slice: unit, utcOffsetMinutes, hotColdZ: EMERGING_SIGNIFICANT_Z, trendAlpha: EMERGING_TREND_ALPHA },
      (g) => index.within(g.centreMercator, result.radius),
    );
  }
}
