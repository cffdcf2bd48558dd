import { Module } from '@nestjs/common';
import { AnalysisScopeResolver } from './analysis-scope.resolver';
import { IncidentImportEvents } from './incident-import.events';
import { IncidentRepository } from './incident.repository';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

/** Incident imports (CSV, GeoJSON) and queries; exports what the hotspot analysis reads. */
@Module({
  controllers: [IncidentsController],
  providers: [IncidentRepository, IncidentsService, AnalysisScopeResolver, IncidentImportEvents],
  exports: [IncidentRepository, AnalysisScopeResolver, IncidentImportEvents],
})
export class IncidentsModule {}
