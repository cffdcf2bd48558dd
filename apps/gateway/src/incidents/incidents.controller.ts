import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { ListIncidentsQuery } from './incidents.dto';
import { ImportFile, ImportUpload } from '../imports/import-upload.decorators';
import { CSV_MEDIA_TYPES, extractUpload, GEOJSON_MEDIA_TYPES, UploadRequest } from '../imports/upload-extractor';
import { detectIncidentFormat } from './incident-file.parser';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('api/incidents')
@Roles('admin', 'analyst')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  /**
   * CSV `id,type,occurred_at,lat,lon` as text/csv, or a GeoJSON FeatureCollection of Points as
   * application/geo+json or application/json, or either file as multipart field `file` (up to 50 MB,
   * UTF-8). All-or-nothing: 400 IMPORT_FAILED with `errors:[{line, message}]`.
   */
  @Post('import')
  @ApiConsumes('text/csv', 'application/geo+json', 'application/json', 'multipart/form-data')
  @ImportFile()
  import(@CurrentPrincipal() principal: Principal, @ImportUpload() request: UploadRequest) {
    const upload = extractUpload(request, { what: 'the CSV or GeoJSON file', mediaTypes: [...CSV_MEDIA_TYPES, ...GEOJSON_MEDIA_TYPES] });
    return this.incidents.import(principal, upload.text, detectIncidentFormat(upload.mediaType, upload.fileName, upload.text));
  }

  /** Incidents in the caller's scope (or the subtree of `jurisdictionId`), newest first. */
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListIncidentsQuery) {
    return this.incidents.list(principal, query);
  }
}
