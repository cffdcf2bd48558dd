import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { CreateRecordingHoldDto, ListRecordingHoldsQuery } from './recording-holds.dto';
import { RecordingHoldsService } from './recording-holds.service';

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('api/recording-holds')
export class RecordingHoldsController {
  constructor(private readonly holds: RecordingHoldsService) {}

  @Get()
  @ApiOperation({ summary: 'Investigation holds on the cameras you see (any role)' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListRecordingHoldsQuery) {
    return this.holds.list(principal, query.cameraId);
  }

  @Post()
  @Roles('admin', 'operator')
  @ApiOperation({ summary: "Keeps a camera's footage in [from, to) from retention and quota pruning; a reason is required" })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateRecordingHoldDto) {
    return this.holds.create(principal, dto);
  }

  @Delete(':id')
  @Roles('admin', 'operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lifts a hold on a camera you see' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.holds.delete(principal, id);
  }
}
