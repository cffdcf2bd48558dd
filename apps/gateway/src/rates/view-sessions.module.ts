import { Module } from '@nestjs/common';
import { ViewSessionsService } from './view-sessions.service';

/** The live-viewing record: written by the live path, read by the monitoring rate. */
@Module({ providers: [ViewSessionsService], exports: [ViewSessionsService] })
export class ViewSessionsModule {}
