import { Module } from '@nestjs/common';
import { GrantsController } from './grants.controller';
import { GrantsService } from './grants.service';

/** Temporary grants: viewing another jurisdiction's cameras for a while (libs/access checks them). */
@Module({ controllers: [GrantsController], providers: [GrantsService] })
export class GrantsModule {}
