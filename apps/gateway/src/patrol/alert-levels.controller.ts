import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { SetAlertLevelDto } from './patrol.dto';
import { AlertLevelsService } from './alert-levels.service';

@ApiTags('alert levels')
@ApiBearerAuth()
@Controller('api/jurisdictions')
export class AlertLevelsController {
  constructor(private readonly levels: AlertLevelsService) {}

  @Get(':id/alert-level')
  @ApiOperation({ summary: "A node's own alert level and the level in force (the highest of its own and its ancestors', unexpired)" })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.levels.get(principal, id);
  }

  @Put(':id/alert-level')
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'Sets the own alert level (1 normal, 2 heightened, 3 high) of a node in your home subtree, with a reason and an optional expiry; 404 outside it' })
  set(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: SetAlertLevelDto) {
    return this.levels.set(principal, id, dto);
  }

  @Get(':id/alert-effects')
  @ApiOperation({
    summary: 'What the level in force changes at this node (walls, dwell, patrol intervals, post PCs), from the configured table',
    description:
      '{jurisdictionId, level, sourceJurisdictionId, effects:{hotspotsFirst, priorityTags, dwellFactor, patrolIntervalFactor, alertPostPcs}, hotspotCameraIds}. ' +
      'hotspotCameraIds (only when hotspotsFirst, else []): the caller-visible cameras of the node\'s subtree within the radius of a hot-95/hot-99 Gi* cell ' +
      'of the node (default cellSize 250, radius 500, incidents of the last 90 days), hottest cell first, nearest first within a cell, each once. ' +
      'Any role that sees the node. docs/methods.md "Alert levels".',
  })
  effects(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.levels.effects(principal, id);
  }
}
