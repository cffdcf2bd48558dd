import { Module } from '@nestjs/common';
import { SnapshotFetcher } from '@tiergate/onvif';
import { SnapshotsController } from './snapshots.controller';
import { SnapshotsService } from './snapshots.service';

@Module({ controllers: [SnapshotsController], providers: [SnapshotsService, SnapshotFetcher] })
export class SnapshotsModule {}
