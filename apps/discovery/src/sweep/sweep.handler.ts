import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Commands, SweepStartReply, SweepStartRequest } from '@tiergate/contracts';
import { replyOf } from '@tiergate/messaging';
import { SweepRunner } from './sweep.runner';

/** Commands.sweepStart from the gateway: accept and run the stored sweep in the background. */
@Controller()
export class SweepHandler {
  constructor(private readonly runner: SweepRunner) {}

  @MessagePattern(Commands.sweepStart)
  start(@Payload() req: SweepStartRequest) {
    return replyOf<SweepStartReply>(async () => {
      await this.runner.start(String(req?.sweepId ?? ''));
      return { accepted: true };
    });
  }
}
