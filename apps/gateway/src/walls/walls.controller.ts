import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { CreateWallDto } from './walls.dto';
import { WallsService } from './walls.service';

@ApiTags('walls')
@ApiBearerAuth()
@Controller('api/walls')
export class WallsController {
  constructor(private readonly walls: WallsService) {}

  /** A named camera set: the nearest visible cameras of a hotspot cell, or listed cameras. */
  @Post()
  @Roles('admin', 'operator', 'analyst')
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWallDto) {
    return this.walls.create(principal, dto);
  }

  /** Walls of the nodes in the caller's scope (any role). */
  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.walls.list(principal);
  }

  /** One wall with only the cameras the caller may see; 404 out of scope. */
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.walls.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.walls.delete(principal, id);
  }
}
