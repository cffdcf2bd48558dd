import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Commands, SweepStartReply, SweepStartRequest } from '@tiergate/contracts';
import { TiergateError } from '@tiergate/domain';
import { replyOf } from '@tiergate/messaging';
import { SweepRunner } from './sweep.runner';

/** Commands.sweepStart from the gateway: accept and run the stored sweep in the background. */
@Controller()
export class SweepHandler {
  constructor(private readonly runner: SweepRunner) {}

  @MessagePattern(Commands.sweepStart)
  start(@Payload() req: SweepStartRequest) {
    return replyOf<SweepStartReply>(async () => {
      const id = String(req?.sweepId ?? '');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new TiergateError('NOT_FOUND', 'sweep not found');
      await this.runner.start(id);
      return { accepted: true };
    });
  }
}
