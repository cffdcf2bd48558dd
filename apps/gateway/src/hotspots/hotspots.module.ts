import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { HotspotEventsService } from './hotspot-events.service';
import { HotspotsController } from './hotspots.controller';
import { HotspotsService } from './hotspots.service';

/** Hotspot analysis (Gi*, three highs), hotspot change events (walls are in ../walls). */
@Module({
  imports: [IncidentsModule],
  controllers: [HotspotsController],
  providers: [HotspotsService, HotspotEventsService],
  exports: [HotspotsService, HotspotEventsService],
})
export class HotspotsModule {}
