import { Body, Controller, Delete, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Request, Response } from 'express';
import type { Principal } from '@tiergate/access';
import { notFound } from '@tiergate/domain';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { RecordingRangeDto } from './recordings-playback.controller';
import { type ExportView, RecordingExportsService } from './recording-exports.service';

export class CreateExportDto extends RecordingRangeDto {
  @ApiProperty({ description: 'Why the footage leaves the system (4..500 characters); in the audit log with every download' })
  @IsString()
  @Length(4, 500)
  reason!: string;
}

const uuid = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => notFound(what) });

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('api')
export class RecordingExportsController {
  constructor(private readonly exports: RecordingExportsService) {}

  @Post('cameras/:id/exports')
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'Exports [from, to) (at most 2 h) as an MP4 (stream copy) with its SHA-256; a job with progress on MQTT (tiergate/v1/exports/<id>/progress) and in GET /api/exports/:id. Range default profile: sub.' })
  create(@CurrentPrincipal() principal: Principal, @Param('id', uuid('camera')) id: string, @Body() dto: CreateExportDto, @Ip() ip: string): Promise<ExportView> {
    return this.exports.create(principal, id, dto, ip);
  }

  @Get('exports/:id')
  @Roles('admin', 'operator')
  @ApiOperation({
    summary: 'An export job: state, progress, and when done its SHA-256 and size',
    description: 'When failed, `failure` is one code of worker-restarted, worker-stopped, not-taken, worker-unreachable, ffmpeg-failed, io-failed, cancelled (libs/contracts EXPORT_FAILURES) and `failureDetail` the worker’s own words.',
  })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid('export')) id: string): Promise<ExportView> {
    return this.exports.get(principal, id);
  }

  @Delete('exports/:id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Deletes an export: the worker that made it cancels a running job and deletes the MP4, then the row goes; audited (recording.export.delete: who, hash, reason)',
    description: 'Role admin, the camera in the caller’s scope (out of scope answers 404 like missing). The file is evidence: this is the only way it goes (no retention applies to it).',
  })
  @ApiNoContentResponse({ description: 'Deleted: the file on the worker and the row' })
  @ApiNotFoundResponse({ description: 'No such export, or its camera is outside the caller’s scope' })
  @ApiServiceUnavailableResponse({ description: 'The worker holding the file did not answer; nothing was deleted (a failed export, which has no file, is deleted anyway)' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', uuid('export')) id: string, @Ip() ip: string): Promise<void> {
    await this.exports.delete(principal, id, ip);
  }

  @Get('exports/:id/download')
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'The export’s MP4 (Digest: sha-256 header); every download is audited with who, reason and hash. 409 until done.' })
  async download(@CurrentPrincipal() principal: Principal, @Param('id', uuid('export')) id: string, @Req() req: Request, @Res() res: Response, @Ip() ip: string): Promise<void> {
    await this.exports.download(principal, id, req, res, ip);
  }
}
