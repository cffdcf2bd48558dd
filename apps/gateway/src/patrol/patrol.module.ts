import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module';
import { HotspotsModule } from '../hotspots/hotspots.module';
import { AlertLevelsController } from './alert-levels.controller';
import { AlertLevelsService } from './alert-levels.service';
import { PatrolEvents } from './patrol.events';
import { PatrolLogService } from './patrol-log.service';
import { PatrolClock, PatrolPolicy } from './patrol.policy';
import { PatrolRoundsController } from './patrol-rounds.controller';
import { PatrolRoundsService } from './patrol-rounds.service';
import { PatrolRoutesController } from './patrol-routes.controller';
import { PatrolRoutesService } from './patrol-routes.service';

/** Video patrol rounds, the duty fulfilment rate and alert levels (issue 16, docs/methods.md). */
@Module({
  imports: [HotspotsModule, AlarmsModule],
  controllers: [PatrolRoutesController, PatrolRoundsController, AlertLevelsController],
  providers: [PatrolPolicy, PatrolClock, PatrolEvents, PatrolRoutesService, PatrolRoundsService, PatrolLogService, AlertLevelsService],
  exports: [PatrolLogService],
})
export class PatrolModule {}
