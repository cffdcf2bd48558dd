import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { pageWindow } from '@tiergate/domain';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { CreateGrantDto, ListGrantsQuery } from './grants.dto';
import { GrantsService } from './grants.service';

@ApiTags('grants')
@ApiBearerAuth()
@Controller('api/grants')
@Roles('admin')
export class GrantsController {
  constructor(
    private readonly grants: GrantsService,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Share a camera or a jurisdiction you administer, for viewing only, until expiresAt (at most 90 days)',
    description:
      'One object (cameraId or jurisdictionId) and one grantee (granteeUserId, granteeUsername or granteeJurisdictionId). An object outside your subtree, or an unknown grantee, answers 404 like a missing one. The answer, like each entry of GET, carries state (active, pending, expired, revoked) and the names cameraName, jurisdictionName, granteeUsername, granteeJurisdictionName (null where there is none). Audited as grant.create.',
  })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateGrantDto) {
    return this.grants.create(principal, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Grants you manage, newest first, one page (default limits.defaultPageSize); X-Total-Count gives the number in all' })
  @ApiOkResponse({ headers: { 'X-Total-Count': { description: 'number of grants you manage (all pages)', schema: { type: 'integer' } } } })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListGrantsQuery, @Res({ passthrough: true }) res: Response) {
    const window = pageWindow(query, this.config.limits);
    const all = await this.grants.list(principal);
    res.setHeader('X-Total-Count', String(all.length));
    return all.slice(window.offset, window.offset + window.limit);
  }

  /** Revokes at once; revoking twice is harmless. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a grant you manage, at once (revoking twice is harmless); one you do not manage answers 404. Audited as grant.revoke.' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.grants.revoke(principal, id);
  }
}
