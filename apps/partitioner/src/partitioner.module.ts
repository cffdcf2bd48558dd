import { Module } from '@nestjs/common';
import { JurisdictionTreeWriter } from '@tiergate/persistence';
import { JurisdictionsHandler } from './jurisdictions.handler';

/**
 * The tree-change service: imports and deletions of jurisdictions, with the reassignment of cameras
 * and incidents that follows, answered over the broker (Commands.jurisdictionsImport/Delete).
 */
@Module({
  controllers: [JurisdictionsHandler],
  providers: [JurisdictionTreeWriter],
})
export class PartitionerModule {}
