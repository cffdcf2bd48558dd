import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { CreateGrantDto } from './grants.dto';
import { GrantsService } from './grants.service';

@ApiTags('grants')
@ApiBearerAuth()
@Controller('api/grants')
@Roles('admin')
export class GrantsController {
  constructor(private readonly grants: GrantsService) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateGrantDto) {
    return this.grants.create(principal, dto);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.grants.list(principal);
  }

  /** Revokes at once; revoking twice is harmless. */
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.grants.revoke(principal, id);
  }
}
