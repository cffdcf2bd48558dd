import { Module } from '@nestjs/common';
import { AlarmsController } from './alarms.controller';
import { AlarmsListener } from './alarms.listener';
import { AlarmsService } from './alarms.service';

/** Camera alarms from ONVIF motion/tamper events: stored, scoped, acknowledged and audited (issue 15, docs/alarms.md). */
@Module({
  controllers: [AlarmsController],
  providers: [AlarmsService, AlarmsListener],
})
export class AlarmsModule {}
