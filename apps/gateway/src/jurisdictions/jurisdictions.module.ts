import { Module } from '@nestjs/common';
import { JurisdictionsController } from './jurisdictions.controller';
import { JurisdictionsService } from './jurisdictions.service';
import { RatesModule } from '../rates/rates.module';

/** The jurisdiction tree: reads, imports and deletes (the tree writer and the partitioner do the work). */
@Module({
  imports: [RatesModule],
  controllers: [JurisdictionsController],
  providers: [JurisdictionsService],
})
export class JurisdictionsModule {}
