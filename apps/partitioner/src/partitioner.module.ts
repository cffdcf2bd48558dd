import { Module } from '@nestjs/common';
import { JurisdictionsHandler } from './jurisdictions.handler';
import { TreeChangeNotifier } from './tree-change.notifier';
import { TreeWriter } from './tree.writer';

/** Owns writes to the jurisdiction tree and the reassignment of cameras and incidents that follows. */
@Module({
  controllers: [JurisdictionsHandler],
  providers: [TreeWriter, TreeChangeNotifier],
  exports: [TreeWriter],
})
export class PartitionerModule {}
