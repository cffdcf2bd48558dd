import { Module } from '@nestjs/common';
import { CamerasModule } from '../cameras/cameras.module';
import { SweepsController } from './sweeps.controller';
import { SweepsService } from './sweeps.service';

/** The discovery API of the gateway: start sweeps (run by the discovery app) and read their findings. */
@Module({
  imports: [CamerasModule],
  controllers: [SweepsController],
  providers: [SweepsService],
})
export class SweepsModule {}
