import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { RatesQueryDto } from './rates.dto';
import { RatesService } from './rates.service';

@ApiTags('rates')
@ApiBearerAuth()
@Controller('api/rates')
@Roles('admin', 'analyst')
export class RatesController {
  constructor(private readonly rates: RatesService) {}

  @Get()
  @ApiOperation({
    summary: 'The rates of a node and of each child, over the period, the previous period and the same period last year',
    description:
      'Incident decline rate per type, preventable-case rate per 10,000 residents, stop-and-check capture rate and real-time monitoring rate ' +
      '(cameras watched, camera-hours watched); each node over its whole subtree. A rate is {value, reason?}: value null when its ' +
      'denominator is zero or unknown, with the reason. Formulas: docs/methods.md. Out-of-scope jurisdictionId: 404 like a missing one.',
  })
  get(@CurrentPrincipal() principal: Principal, @Query() query: RatesQueryDto) {
    return this.rates.rates(principal, query);
  }
}
