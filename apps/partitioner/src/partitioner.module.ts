import { Module } from '@nestjs/common';
import { ActingPartitioner } from './acting-partitioner';
import { JurisdictionsHandler } from './jurisdictions.handler';

/**
 * The partitioning service: the acting partitioner (one of any number of these processes, by lease)
 * repairs placements after tree changes and publishes the access snapshot every gateway and worker
 * checks access with (ActingPartitioner); every partitioner also answers tree-change commands over the
 * broker (Commands.jurisdictionsImport/Delete).
 */
@Module({
  providers: [ActingPartitioner, JurisdictionsHandler],
})
export class PartitionerModule {}
