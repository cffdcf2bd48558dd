import { Module } from '@nestjs/common';
import { PopulationsService } from './populations.service';
import { RateFiguresReader } from './rate-figures.reader';
import { RatesImportsController } from './rates-imports.controller';
import { RatesController } from './rates.controller';
import { RatesService } from './rates.service';
import { StopChecksService } from './stop-checks.service';
import { ViewSessionsModule } from './view-sessions.module';

/** The rates (docs/methods.md): GET /api/rates, the population and stop-and-check imports; exports what the jurisdiction import uses. */
@Module({
  imports: [ViewSessionsModule],
  controllers: [RatesController, RatesImportsController],
  providers: [RatesService, RateFiguresReader, PopulationsService, StopChecksService],
  exports: [PopulationsService],
})
export class RatesModule {}
