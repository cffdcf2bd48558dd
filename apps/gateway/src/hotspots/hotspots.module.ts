import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { HotspotEventsService } from './hotspot-events.service';
import { HotspotsController } from './hotspots.controller';
import { HotspotsService } from './hotspots.service';
import { WallsController } from './walls.controller';
import { WallsService } from './walls.service';

/** Hotspot analysis (Gi*, three highs), hotspot change events and camera walls. */
@Module({
  imports: [IncidentsModule],
  controllers: [HotspotsController, WallsController],
  providers: [HotspotsService, HotspotEventsService, WallsService],
  exports: [HotspotsService, HotspotEventsService],
})
export class HotspotsModule {}
