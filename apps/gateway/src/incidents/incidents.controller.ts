import { Body, Controller, Get, Headers, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { memoryStorage } from 'multer';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, MAX_IMPORT_BYTES, Roles } from '@tiergate/platform';
import { ListIncidentsQuery } from './incidents.dto';
import { importContentOf } from './import-content';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('api/incidents')
@Roles('admin', 'analyst')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  /**
   * CSV `id,type,occurred_at,lat,lon` as text/csv, or a GeoJSON FeatureCollection of Points as
   * application/geo+json or application/json (raw JSON bodies up to 2 MB), or either file as multipart
   * field `file` (up to 50 MB). All-or-nothing: 400 IMPORT_FAILED with `errors:[{line, message}]`.
   */
  @Post('import')
  @ApiConsumes('text/csv', 'application/geo+json', 'application/json', 'multipart/form-data')
  @UseInterceptors(FileInterceptor('file', { storage: memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  import(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('content-type') contentType?: string,
    @UploadedFile() file?: Express.Multer.File,
  ) {
    const { content, format } = importContentOf(body, contentType, file);
    return this.incidents.import(principal, content, format);
  }

  /** Incidents in the caller's scope (or the subtree of `jurisdictionId`), newest first. */
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListIncidentsQuery) {
    return this.incidents.list(principal, query);
  }
}
