import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Commands, JurisdictionsDeleteRequest, JurisdictionsImportRequest } from '@tiergate/contracts';
import { replyOf } from '@tiergate/messaging';
import { TreeWriter } from './tree.writer';

/** Tree-change commands from the gateway, over the broker. Errors travel back as replies. */
@Controller()
export class JurisdictionsHandler {
  constructor(private readonly writer: TreeWriter) {}

  @MessagePattern(Commands.jurisdictionsImport)
  import(@Payload() req: JurisdictionsImportRequest) {
    return replyOf(() => this.writer.import(req.actor, req.featureCollection));
  }

  @MessagePattern(Commands.jurisdictionsDelete)
  delete(@Payload() req: JurisdictionsDeleteRequest) {
    return replyOf(() => this.writer.delete(req.actor, req.id));
  }
}
