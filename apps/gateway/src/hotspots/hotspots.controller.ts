import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { EmergingHotspotsService } from './emerging-hotspots.service';
import { HOTSPOT_AREAS_SCHEMA } from './hotspot-areas.openapi';
import { EmergingHotspotsQuery, HotspotAreasQuery, HotspotsQuery, HotspotSummaryQuery } from './hotspots.dto';
import { HotspotsService } from './hotspots.service';

@ApiTags('hotspots')
@ApiBearerAuth()
@Controller('api/hotspots')
@Roles('admin', 'analyst')
export class HotspotsController {
  constructor(
    private readonly hotspots: HotspotsService,
    private readonly emerging: EmergingHotspotsService,
  ) {}

  /** Getis-Ord Gi* hot spots of the caller's scope (CONTRACT.md "Hotspots"), with nearby visible cameras. */
  @Get()
  analyse(@CurrentPrincipal() principal: Principal, @Query() query: HotspotsQuery) {
    return this.hotspots.analyse(principal, query);
  }

  @Get('areas')
  @ApiOperation({
    summary: 'Hotspot areas: the significant hot cells of GET /api/hotspots merged into connected areas, each named and with its nearby cameras',
    description:
      'Same parameters and Gi* as GET /api/hotspots, plus `confidence` (90, 95 or 99, default 90): the hot cells with z at or above ' +
      'that level (1.645, 1.96, 2.576) are merged when they share an edge or a corner. Each area: its cells, incidents, the confidence ' +
      'of its peak cell, the centroid (mean of the cell centres in EPSG:3857), its post (the caller\'s jurisdiction holding most of its ' +
      'cell centres), the caller-visible cameras within `radius` of the area nearest first (at most 25) and its landmark (nearest garage, ' +
      'else nearest camera). Cameras outside the caller\'s scope are never named. Order: level, then incidents, descending. ' +
      'Rules: docs/methods.md "Hotspot areas".',
  })
  @ApiOkResponse({ schema: HOTSPOT_AREAS_SCHEMA })
  areas(@CurrentPrincipal() principal: Principal, @Query() query: HotspotAreasQuery) {
    return this.hotspots.areas(principal, query);
  }

  /** The "three highs": top areas (children of the node), hour x weekday profile, type mix, top cells. */
  @Get('summary')
  summary(@CurrentPrincipal() principal: Principal, @Query() query: HotspotSummaryQuery) {
    return this.hotspots.summary(principal, query);
  }

  @Get('emerging')
  @ApiOperation({
    summary: 'Emerging hot spots: Gi* per time slice, a Mann-Kendall trend and an ArcGIS-style category per cell, and patrol guidance',
    description:
      'Slices of one `slice` (week: local Monday 00:00) laid back to back ending at `to` (default: the start of the current local slice); ' +
      '`slices` of them (default 12) or as many whole ones as fit after `from` (10 to 104). Gi* per slice as GET /api/hotspots; ' +
      'a slice is a significant hot/cold spot at |z| >= 1.645 (90 %), a trend at Mann-Kendall p <= 0.05. Cells with a category or an incident: ' +
      '{x, y, centre, category, count, trend:{s, variance, z, p}, slices:[{count, z, p, confidence}]}; guidance: up to 10 intensifying, new, ' +
      'consecutive or persistent hot spots with the peak local weekday-hours of the incidents around them and the visible cameras nearby. ' +
      'Categories and formulas: docs/methods.md "Emerging hot spots". Out-of-scope jurisdictionId: 404 like a missing one.',
  })
  emergingHotspots(@CurrentPrincipal() principal: Principal, @Query() query: EmergingHotspotsQuery) {
    return this.emerging.analyse(principal, query);
  }
}
