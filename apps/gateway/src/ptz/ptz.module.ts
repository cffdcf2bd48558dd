import { Module } from '@nestjs/common';
import { PtzController } from './ptz.controller';
import { PtzDevices } from './ptz-devices.service';
import { PtzLeaseService } from './ptz-lease.service';
import { PtzService } from './ptz.service';

/** Pan/tilt/zoom of ONVIF PTZ cameras: status, moves, presets, the steering lease and its audit (issue 15, docs/ptz.md). */
@Module({ controllers: [PtzController], providers: [PtzService, PtzDevices, PtzLeaseService] })
export class PtzModule {}
