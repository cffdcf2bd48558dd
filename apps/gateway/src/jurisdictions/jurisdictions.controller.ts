import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { ImportFile, ImportUpload } from '../imports/import-upload.decorators';
import { extractUpload, GEOJSON_MEDIA_TYPES, jsonOfUpload, UploadRequest } from '../imports/upload-extractor';
import { JurisdictionsService } from './jurisdictions.service';

@ApiTags('jurisdictions')
@ApiBearerAuth()
@Controller('api/jurisdictions')
export class JurisdictionsController {
  constructor(private readonly jurisdictions: JurisdictionsService) {}

  /** The caller's subtree (plus nodes shared with it by a grant), parents before children. */
  @Get()
  @ApiQuery({ name: 'withBoundary', required: false, description: '1 to include each GeoJSON boundary' })
  list(@CurrentPrincipal() principal: Principal, @Query('withBoundary') withBoundary?: string) {
    return this.jurisdictions.list(principal, withBoundary === '1' || withBoundary === 'true');
  }

  /** Cameras and users per visible node (own and whole subtree) and per tier. */
  @Get('stats')
  stats(@CurrentPrincipal() principal: Principal) {
    return this.jurisdictions.stats(principal);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.jurisdictions.get(principal, id);
  }

  /**
   * GeoJSON FeatureCollection as the raw body (application/geo+json, application/json) or multipart field `file`.
   * Every import, also one that changes no node, moves the incidents and unpinned cameras whose stored
   * jurisdiction is not the one the tree gives their location (`reassignedCameras`, `reassignedIncidents`).
   */
  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import or re-import jurisdictions (GeoJSON FeatureCollection), idempotent by code',
    description:
      'Answers {created, updated, unchanged, reassignedCameras, reassignedIncidents}. Every import, also one that changes no node, ' +
      'moves the incidents and the cameras not pinned by an explicit jurisdictionId whose stored jurisdiction is not the one the tree ' +
      'gives their location: re-importing the current tree repairs misplaced rows. Camera and incident writes running meanwhile wait ' +
      'for the import (or it for them) and are placed by the tree that commits.',
  })
  @ApiConsumes('application/geo+json', 'application/json', 'multipart/form-data')
  @ImportFile()
  import(@CurrentPrincipal() principal: Principal, @ImportUpload() request: UploadRequest) {
    const upload = extractUpload(request, { what: 'a GeoJSON FeatureCollection', mediaTypes: GEOJSON_MEDIA_TYPES });
    return this.jurisdictions.import(principal, jsonOfUpload(upload, 'a GeoJSON FeatureCollection'));
  }

  /** Refused with 409 while the node still has children, cameras, users or incidents. */
  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.jurisdictions.delete(principal, id);
  }
}
