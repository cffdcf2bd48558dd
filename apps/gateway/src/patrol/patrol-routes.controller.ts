import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { CreatePatrolRouteDto, RouteListQuery, UpdatePatrolRouteDto } from './patrol.dto';
import { PatrolRoutesService } from './patrol-routes.service';

@ApiTags('patrol')
@ApiBearerAuth()
@Controller('api/patrol/routes')
export class PatrolRoutesController {
  constructor(private readonly routes: PatrolRoutesService) {}

  @Get()
  @ApiOperation({ summary: 'The patrol routes of the nodes in your scope (or of one subtree), oldest first' })
  list(@CurrentPrincipal() principal: Principal, @Query() q: RouteListQuery) {
    return this.routes.list(principal, q.jurisdictionId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One route in your scope; 404 outside it' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.routes.get(principal, id);
  }

  @Post()
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'A route of a node in your home subtree: ordered stops (camera, post or tag, each with a dwell) and a schedule (interval or ad hoc)' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePatrolRouteDto) {
    return this.routes.create(principal, dto);
  }

  @Patch(':id')
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'Changes a route of your home subtree (checked as a whole); 404 outside it' })
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdatePatrolRouteDto) {
    return this.routes.update(principal, id, dto);
  }

  @Delete(':id')
  @Roles('admin', 'operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Retires a route of your home subtree: no more planned rounds; its rounds and past rates stay' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.routes.delete(principal, id);
  }
}
