import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal } from '@tiergate/platform';
import { AcknowledgeAlarmDto, AlarmListQuery } from './alarms.dto';
import { AlarmsService } from './alarms.service';

@ApiTags('alarms')
@ApiBearerAuth()
@Controller('api/alarms')
export class AlarmsController {
  constructor(private readonly alarms: AlarmsService) {}

  @Get()
  @ApiOperation({
    summary: "Motion, tamper and patrol alarms of the cameras you may see, newest first (docs/alarms.md)",
    description: 'Filters: state (new, acknowledged), cameraId, from/to (start time). X-Total-Count gives the number of matches over all pages.',
  })
  @ApiOkResponse({ description: 'alarms: id, cameraId, cameraName, kind, state, active, startedAt, lastEventAt, endedAt, count, acknowledgedAt, acknowledgedBy, note (of the acknowledgement), patrol (kind patrol only, else null: roundId, stopIndex, note, markedBy, snapshotUrl)', headers: { 'X-Total-Count': { description: 'number of matching alarms (all pages)', schema: { type: 'integer' } } } })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: AlarmListQuery, @Res({ passthrough: true }) res: Response) {
    const { items, total } = await this.alarms.list(principal, q);
    res.setHeader('X-Total-Count', String(total));
    return items;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alarm (404 when its camera is not yours, exactly as for a missing one)' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.alarms.get(principal, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledges an alarm with an optional note (audited as alarm.acknowledge); 409 when already acknowledged, 404 outside your cameras' })
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: AcknowledgeAlarmDto) {
    return this.alarms.acknowledge(principal, id, dto);
  }
}
