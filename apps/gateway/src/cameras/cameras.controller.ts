import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { notFound } from '@tiergate/domain';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { AddFromSweepDto, CreateCameraDto, CreateCameraQuery, ListCamerasQuery, UpdateCameraDto } from './camera.dto';
import { ImportFile, ImportUpload } from '../imports/import-upload.decorators';
import { CSV_MEDIA_TYPES, extractUpload, UploadRequest } from '../imports/upload-extractor';
import { CameraImportService } from './camera-import.service';
import { CameraSweepOnboarding } from './camera-sweep-onboarding.service';
import { CamerasService } from './cameras.service';

/** Out-of-scope and malformed ids answer exactly like missing cameras. */
const cameraId = new ParseUUIDPipe({ exceptionFactory: () => notFound('camera') });

@ApiTags('cameras')
@ApiBearerAuth()
@Controller('api/cameras')
export class CamerasController {
  constructor(
    private readonly cameras: CamerasService,
    private readonly importer: CameraImportService,
    private readonly sweeps: CameraSweepOnboarding,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Cameras in your scope, filtered; every match when no limit is given',
    description:
      'Ordered by name unless `sort` (name, status, jurisdiction, created, lastSeen) and `order` (asc, desc) say otherwise; ties by id (stable paging); any other `sort` is 400 VALIDATION_FAILED. Page with `limit` (at most `limits.maxPageSize`, default 1000) and `offset`; `X-Total-Count` always says how many cameras match. ' +
      'Without `limit` every match is answered (CONTRACT.md), bounded by your scope.',
  })
  @ApiOkResponse({ headers: { 'X-Total-Count': { description: 'number of cameras matching the filter (all pages)', schema: { type: 'integer' } } } })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListCamerasQuery, @Res({ passthrough: true }) res: Response) {
    const page = await this.cameras.list(principal, query, this.config.limits.maxPageSize);
    res.setHeader('X-Total-Count', String(page.total));
    return page.items;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One camera with ONVIF address, device information and profiles (never a password)' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', cameraId) id: string) {
    return this.cameras.get(principal, id);
  }

  @Post()
  @Roles('admin', 'operator')
  @ApiOperation({
    summary: 'Add a camera by ONVIF address or rtsp:// URL; a camera that is down or refuses the credentials is pre-registered',
    description:
      'The device is contacted first (ONVIF: device information, profiles, stream URIs; RTSP-only: DESCRIBE). ' +
      'A camera that does not answer or refuses the credentials is still saved (installers register cameras before they are powered, ' +
      'and passwords change): 201 with `status` `offline` or `unauthorized` and a `statusReason` that says why and what happens next; ' +
      'the health monitor reads its profiles, device information and stream URIs when it first answers (within one health round). ' +
      'With `?verify=true` such a camera is refused instead: 502 `CAMERA_UNREACHABLE` / `CAMERA_UNAUTHORIZED`, nothing saved. ' +
      'An ONVIF address that answers something that is not ONVIF is always refused (502 `CAMERA_PROTOCOL_ERROR`).',
  })
  @ApiCreatedResponse({ description: 'the camera as saved: `status` online (onboarded), offline or unauthorized (pre-registered, with `statusReason`)' })
  @ApiBadGatewayResponse({ description: '`CAMERA_PROTOCOL_ERROR`; with `verify=true` also `CAMERA_UNREACHABLE` / `CAMERA_UNAUTHORIZED` (nothing saved)' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCameraDto, @Query() query: CreateCameraQuery) {
    return this.cameras.create(principal, dto, { verify: query.verify === true });
  }

  @Post('import')
  @Roles('admin', 'operator')
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiOperation({
    summary: 'Import cameras from CSV (all-or-nothing)',
    description:
      'CSV header `name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url`, tags separated by `;`, as a text/csv body or ' +
      'multipart field `file` (up to 50 MB). Any bad row creates nothing: 400 IMPORT_FAILED with `errors:[{line, message}]`. ' +
      'Imported devices are NOT probed: their status is `unknown` until the health monitor checks them (at once), and it reads the profiles and device information of ONVIF cameras when they first answer.',
  })
  @ImportFile()
  import(@CurrentPrincipal() principal: Principal, @ImportUpload() upload: UploadRequest) {
    return this.importer.import(principal, extractUpload(upload, { what: 'the CSV', mediaTypes: CSV_MEDIA_TYPES }).text);
  }

  @Post('from-sweep')
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'Add findings of a discovery sweep (each probed with the given credentials); answers what was created and what failed' })
  fromSweep(@CurrentPrincipal() principal: Principal, @Body() dto: AddFromSweepDto) {
    return this.sweeps.add(principal, dto);
  }

  @Patch(':id')
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'Rename, retag, move, pin/unpin the jurisdiction (null unpins) or change credentials' })
  update(@CurrentPrincipal() principal: Principal, @Param('id', cameraId) id: string, @Body() dto: UpdateCameraDto) {
    return this.cameras.update(principal, id, dto);
  }

  @Delete(':id')
  @Roles('admin', 'operator')
  @HttpCode(204)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', cameraId) id: string) {
    return this.cameras.remove(principal, id);
  }
}
