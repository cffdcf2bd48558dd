import { Module } from '@nestjs/common';
import { AnalysisScopeResolver } from './analysis-scope.resolver';
import { IncidentImportEvents } from './incident-import.events';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

/** Incident imports (CSV, GeoJSON) and queries; exports what the hotspot analysis reads. */
@Module({
  controllers: [IncidentsController],
  providers: [IncidentsService, AnalysisScopeResolver, IncidentImportEvents],
  exports: [AnalysisScopeResolver, IncidentImportEvents],
})
export class IncidentsModule {}
