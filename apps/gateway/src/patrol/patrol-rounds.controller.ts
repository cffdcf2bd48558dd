import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal } from '@tiergate/platform';
import { MarkStopDto, PeriodQuery, StartRoundDto } from './patrol.dto';
import { PatrolLogService } from './patrol-log.service';
import { PatrolRoundsService } from './patrol-rounds.service';

@ApiTags('patrol')
@ApiBearerAuth()
@Controller('api/patrol')
export class PatrolRoundsController {
  constructor(
    private readonly rounds: PatrolRoundsService,
    private readonly log: PatrolLogService,
  ) {}

  @Get('rounds')
  @ApiOperation({ summary: "A subtree's round log for [from, to): every planned time (pending, missed, in progress, finished; on time, late, completed) with its round, and the ad-hoc rounds" })
  list(@CurrentPrincipal() principal: Principal, @Query() q: PeriodQuery) {
    return this.log.log(principal, q);
  }

  @Post('rounds')
  @ApiOperation({ summary: "Starts a round of a route in your scope at one of its planned times (ad hoc: now); 409 when that time's round was started" })
  start(@CurrentPrincipal() principal: Principal, @Body() dto: StartRoundDto) {
    return this.rounds.start(principal, dto);
  }

  @Get('rounds/:id')
  @ApiOperation({ summary: 'One round: who, planned and actual times, every stop with its cameras and marks' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.rounds.get(principal, id);
  }

  @Post('rounds/:id/marks')
  @HttpCode(200)
  @ApiOperation({ summary: "Marks a camera of a stop normal or abnormal (an abnormal mark keeps the camera's snapshot reference and is announced; with raiseAlarm it also raises a `patrol` alarm, GET /api/alarms); 409 once finished" })
  mark(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: MarkStopDto) {
    return this.rounds.mark(principal, id, dto);
  }

  @Post('rounds/:id/finish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Finishes a round; unmarked stops are recorded as skipped; 409 when already finished' })
  finish(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.rounds.finish(principal, id);
  }

  @Get('fulfilment')
  @ApiOperation({ summary: 'Duty fulfilment rate (勤务落实率) of a subtree for [from, to) and of each child: rounds completed on time / rounds planned; null when none was planned' })
  fulfilment(@CurrentPrincipal() principal: Principal, @Query() q: PeriodQuery) {
    return this.log.fulfilment(principal, q);
  }
}
