import { Module } from '@nestjs/common';
import { HotspotsModule } from '../hotspots/hotspots.module';
import { PatrolModule } from '../patrol/patrol.module';
import { PeriodReportController } from './period-report.controller';
import { PeriodReportService } from './period-report.service';
import { PopulationsService } from './populations.service';
import { RateFiguresReader } from './rate-figures.reader';
import { RatesImportsController } from './rates-imports.controller';
import { RatesController } from './rates.controller';
import { RatesService } from './rates.service';
import { StopChecksService } from './stop-checks.service';
import { ViewSessionsModule } from './view-sessions.module';

/** The rates (docs/methods.md): GET /api/rates, the period report, the population and stop-and-check imports; exports what the jurisdiction import uses. */
@Module({
  imports: [ViewSessionsModule, PatrolModule, HotspotsModule],
  controllers: [RatesController, RatesImportsController, PeriodReportController],
  providers: [RatesService, RateFiguresReader, PopulationsService, StopChecksService, PeriodReportService],
  exports: [PopulationsService],
})
export class RatesModule {}
