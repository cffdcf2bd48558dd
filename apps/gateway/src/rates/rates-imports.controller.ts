import { Controller, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { ImportFile, ImportUpload } from '../imports/import-upload.decorators';
import { CSV_MEDIA_TYPES, extractUpload, UploadRequest } from '../imports/upload-extractor';
import { PopulationsService } from './populations.service';
import { StopChecksService } from './stop-checks.service';

@ApiTags('rates')
@ApiBearerAuth()
@Controller('api')
export class RatesImportsController {
  constructor(
    private readonly populations: PopulationsService,
    private readonly stopChecks: StopChecksService,
  ) {}

  @Post('jurisdictions/population')
  @Roles('admin')
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiOperation({ summary: 'Set jurisdictions\' own populations: CSV code,population; all-or-nothing (400 IMPORT_FAILED with errors:[{line, message}]); audited' })
  @ImportFile()
  importPopulation(@CurrentPrincipal() principal: Principal, @ImportUpload() request: UploadRequest, @Ip() ip: string) {
    const upload = extractUpload(request, { what: 'the CSV file', mediaTypes: [...CSV_MEDIA_TYPES] });
    return this.populations.importCsv(principal, upload.text, ip);
  }

  @Post('stop-checks/import')
  @Roles('admin', 'analyst')
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiOperation({
    summary: 'Import a stop-and-check log: CSV time,place,jurisdiction_code,persons,vehicles,result',
    description: 'One row is one stop-and-check; place is "lat,lon" or text (then jurisdiction_code is required). All-or-nothing: 400 IMPORT_FAILED with errors:[{line, message}]. Audited.',
  })
  @ImportFile()
  importStopChecks(@CurrentPrincipal() principal: Principal, @ImportUpload() request: UploadRequest, @Ip() ip: string) {
    const upload = extractUpload(request, { what: 'the CSV file', mediaTypes: [...CSV_MEDIA_TYPES] });
    return this.stopChecks.import(principal, upload.text, ip);
  }
}
