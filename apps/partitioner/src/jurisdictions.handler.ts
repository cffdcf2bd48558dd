import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { TreeChangeNotifier } from '@tiergate/access';
import { Commands, JurisdictionsDeleteRequest, JurisdictionsImportRequest } from '@tiergate/contracts';
import { replyOf } from '@tiergate/messaging';
import { JurisdictionTreeWriter } from '@tiergate/persistence';

/**
 * Tree-change commands over the broker, for clients other than the gateway's HTTP routes (scripts,
 * other services). Errors travel back as replies.
 */
@Controller()
export class JurisdictionsHandler {
  constructor(
    private readonly writer: JurisdictionTreeWriter,
    private readonly notifier: TreeChangeNotifier,
  ) {}

  @MessagePattern(Commands.jurisdictionsImport)
  import(@Payload() req: JurisdictionsImportRequest) {
    return replyOf(async () => {
      const result = await this.writer.import(req.actor, req.featureCollection);
      if (result.created > 0 || result.updated > 0) await this.notifier.changed('import');
      return result;
    });
  }

  @MessagePattern(Commands.jurisdictionsDelete)
  delete(@Payload() req: JurisdictionsDeleteRequest) {
    return replyOf(async () => {
      const result = await this.writer.delete(req.actor, req.id);
      await this.notifier.changed('delete');
      return result;
    });
  }
}
