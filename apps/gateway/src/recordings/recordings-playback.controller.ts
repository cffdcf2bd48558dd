import { Body, Controller, Get, HttpCode, Inject, Ip, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import type { Request } from 'express';
import type { Principal } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { STREAM_PROFILES, type StreamProfile } from '@tiergate/contracts';
import { notFound } from '@tiergate/domain';
import { CurrentPrincipal } from '@tiergate/platform';
import { parseAllowedHosts, publicBaseUrl, PublicUrlSettings } from '../live/public-base-url';
import { type PlaybackAnswer, RecordingsPlaybackService, type TimelineAnswer } from './recordings-playback.service';

export class RecordingRangeDto {
  @ApiProperty({ description: 'Start (ISO 8601), inclusive' }) @IsISO8601({ strict: true }) from!: string;
  @ApiProperty({ description: 'End (ISO 8601), exclusive; after from' }) @IsISO8601({ strict: true }) to!: string;
  @ApiPropertyOptional({ enum: STREAM_PROFILES, description: 'Default: sub when it has recordings in the range, else main' }) @IsOptional() @IsIn(STREAM_PROFILES) profile?: StreamProfile;
}

const cameraId = () => new ParseUUIDPipe({ exceptionFactory: () => notFound('camera') });

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('api/cameras')
export class RecordingsPlaybackController {
  private readonly urls: PublicUrlSettings;

  constructor(
    private readonly playback: RecordingsPlaybackService,
    @Inject(TIERGATE_CONFIG) config: TiergateConfig,
  ) {
    this.urls = { publicUrl: config.http.publicUrl, allowedHosts: parseAllowedHosts(config.http.allowedHosts), listenHost: config.http.host };
  }

  @Get(':id/recordings')
  @ApiOperation({ summary: 'Timeline of a camera’s recordings in [from, to) (at most 31 days): spans (segments less than 1.5 s apart joined) and gaps' })
  timeline(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string, @Query() q: RecordingRangeDto): Promise<TimelineAnswer> {
    return this.playback.timeline(principal, id, q.from, q.to, q.profile);
  }

  @Post(':id/playback')
  @HttpCode(200)
  @ApiOperation({ summary: 'An HLS VOD URL of the recordings in [from, to) (at most 24 h), with a playback token bound to you, the camera, the profile and the range; every segment carries EXT-X-PROGRAM-DATE-TIME (seek to a wall-clock time). 404 without recordings in the range.' })
  open(@CurrentPrincipal() principal: Principal, @Param('id', cameraId()) id: string, @Body() dto: RecordingRangeDto, @Req() req: Request, @Ip() ip: string): Promise<PlaybackAnswer> {
    const base = publicBaseUrl(this.urls, { protocol: req.protocol, host: req.host, localAddress: req.socket.localAddress, localPort: req.socket.localPort });
    return this.playback.playback(principal, id, dto.from, dto.to, dto.profile, base, ip);
  }
}
