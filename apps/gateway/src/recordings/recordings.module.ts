import { Module } from '@nestjs/common';
import { RecordingHoldsController } from './recording-holds.controller';
import { RecordingHoldsService } from './recording-holds.service';
import { RecordingRulesController } from './recording-rules.controller';
import { RecordingRulesEvents } from './recording-rules.events';
import { RecordingRulesService } from './recording-rules.service';

/**
 * Recording (issue 14, docs/recording.md): rules and investigation holds; the timeline, playback and exports
 * join this module.
 */
@Module({
  controllers: [RecordingRulesController, RecordingHoldsController],
  providers: [RecordingRulesEvents, RecordingRulesService, RecordingHoldsService],
})
export class RecordingsModule {}
