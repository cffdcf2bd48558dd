import { Module } from '@nestjs/common';
import { AlarmsController } from './alarms.controller';
import { AlarmsListener } from './alarms.listener';
import { AlarmsService } from './alarms.service';
import { PatrolAlarms } from './patrol-alarms.port';

/**
 * Camera alarms from ONVIF motion/tamper events, and patrol alarms raised by abnormal marks through the PatrolAlarms
 * port: stored, scoped, acknowledged and audited (issues 15 and 16, docs/alarms.md).
 */
@Module({
  controllers: [AlarmsController],
  providers: [AlarmsService, AlarmsListener, { provide: PatrolAlarms, useExisting: AlarmsService }],
  exports: [PatrolAlarms],
})
export class AlarmsModule {}
