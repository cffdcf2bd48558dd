import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { EmergingHotspotsService } from './emerging-hotspots.service';
import { HotspotEventsService } from './hotspot-events.service';
import { HotspotsController } from './hotspots.controller';
import { HotspotsService } from './hotspots.service';

/** Hotspot analysis (Gi*, three highs, emerging hot spots), hotspot change events (walls are in ../walls). */
@Module({
  imports: [IncidentsModule],
  controllers: [HotspotsController],
  providers: [HotspotsService, HotspotEventsService, EmergingHotspotsService],
  exports: [HotspotsService, HotspotEventsService],
})
export class HotspotsModule {}
