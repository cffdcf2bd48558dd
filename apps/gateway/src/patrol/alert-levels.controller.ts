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
  @ApiOperation({ summary: 'What the level in force changes at this node (walls, dwell, patrol intervals, post PCs), from the configured table' })
  effects(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.levels.effects(principal, id);
  }
}
