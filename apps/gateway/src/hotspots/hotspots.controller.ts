import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { HotspotsQuery, HotspotSummaryQuery } from './hotspots.dto';
import { HotspotsService } from './hotspots.service';

@ApiTags('hotspots')
@ApiBearerAuth()
@Controller('api/hotspots')
@Roles('admin', 'analyst')
export class HotspotsController {
  constructor(private readonly hotspots: HotspotsService) {}

  /** Getis-Ord Gi* hot spots of the caller's scope (CONTRACT.md "Hotspots"), with nearby visible cameras. */
  @Get()
  analyse(@CurrentPrincipal() principal: Principal, @Query() query: HotspotsQuery) {
    return this.hotspots.analyse(principal, query);
  }

  /** The "three highs": top areas (children of the node), hour x weekday profile, type mix, top cells. */
  @Get('summary')
  summary(@CurrentPrincipal() principal: Principal, @Query() query: HotspotSummaryQuery) {
    return this.hotspots.summary(principal, query);
  }
}
