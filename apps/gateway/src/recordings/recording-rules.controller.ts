import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { CreateRecordingRuleDto, UpdateRecordingRuleDto } from './recording-rules.dto';
import { RecordingRulesService } from './recording-rules.service';

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('api/recording-rules')
export class RecordingRulesController {
  constructor(private readonly rules: RecordingRulesService) {}

  @Get()
  @ApiOperation({ summary: 'The recording rules of the jurisdictions in your scope (any role), oldest first' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.rules.list(principal);
  }

  @Post()
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'A rule for a node in your home subtree: a camera, a tag or a subtree, continuous or a rolling buffer' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateRecordingRuleDto) {
    return this.rules.create(principal, dto);
  }

  @Patch(':id')
  @Roles('admin', 'operator')
  @ApiOperation({ summary: 'Changes a rule of your home subtree; 404 outside it' })
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdateRecordingRuleDto) {
    return this.rules.update(principal, id, dto);
  }

  @Delete(':id')
  @Roles('admin', 'operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a rule of your home subtree (its segments stay until their retention ends)' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.rules.delete(principal, id);
  }
}
