import { Module } from '@nestjs/common';
import { ActingPartitioner } from './acting-partitioner';
import { JurisdictionsHandler } from './jurisdictions.handler';
import { RecordingPlanner } from './recording-planner';

/**
 * The partitioning service: the acting partitioner (one of any number of these processes, by lease)
 * repairs placements after tree changes and publishes the access snapshot every gateway and worker
 * checks access with (ActingPartitioner), and the recording plan (RecordingPlanner); every partitioner also answers tree-change commands over the
 * broker (Commands.jurisdictionsImport/Delete).
 */
@Module({
  providers: [ActingPartitioner, JurisdictionsHandler, RecordingPlanner],
})
export class PartitionerModule {}
