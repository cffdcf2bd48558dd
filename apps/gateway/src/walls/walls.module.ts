import { Module } from '@nestjs/common';
import { WallsController } from './walls.controller';
import { WallsService } from './walls.service';

/** Camera walls: saved layouts of a station's cameras, shared by its PCs. */
@Module({ controllers: [WallsController], providers: [WallsService] })
export class WallsModule {}
