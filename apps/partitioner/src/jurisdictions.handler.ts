import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Commands, JurisdictionsDeleteReply, JurisdictionsDeleteRequest, JurisdictionsImportReply, JurisdictionsImportRequest } from '@tiergate/contracts';
import { TreeChangeNotifier } from '@tiergate/jurisdictions';
import { MqttBus } from '@tiergate/messaging';
import { JurisdictionTreeWriter } from '@tiergate/persistence';

/**
 * Tree-change commands over the broker (Commands.jurisdictionsImport/Delete), for clients other than the
 * gateway's HTTP routes (scripts, other services). The bus validates each request against its contract
 * class before it gets here; errors travel back as ErrorReply.
 */
@Injectable()
export class JurisdictionsHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly unserve: (() => Promise<void>)[] = [];

  constructor(
    private readonly bus: MqttBus,
    private readonly writer: JurisdictionTreeWriter,
    private readonly notifier: TreeChangeNotifier,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unserve.push(await this.bus.serve<JurisdictionsImportRequest>(Commands.jurisdictionsImport, (req) => this.import(req)));
    this.unserve.push(await this.bus.serve<JurisdictionsDeleteRequest>(Commands.jurisdictionsDelete, (req) => this.delete(req)));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const stop of this.unserve.splice(0)) await stop().catch(() => undefined);
  }

  async import(req: JurisdictionsImportRequest): Promise<JurisdictionsImportReply> {
    const result = await this.writer.import(req.actor, req.featureCollection);
    if (result.created > 0 || result.updated > 0) await this.notifier.changed('import');
    return result;
  }

  async delete(req: JurisdictionsDeleteRequest): Promise<JurisdictionsDeleteReply> {
    const result = await this.writer.delete(req.actor, req.id);
    await this.notifier.changed('delete');
    return result;
  }
}
