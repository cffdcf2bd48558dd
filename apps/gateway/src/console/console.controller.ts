import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { Public } from '@tiergate/platform';

/** Settings the browser console needs before login. */
@ApiTags('console')
@Controller('api/console')
export class ConsoleController {
  constructor(@Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig) {}

  @Public()
  @Get('config')
  settings(): { tileUrl: string | null } {
    return { tileUrl: this.config.console.tileUrl || null };
  }
}
