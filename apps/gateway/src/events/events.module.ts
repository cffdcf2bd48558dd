import { Module } from '@nestjs/common';
import type { TokenSigner } from '@tiergate/access';
import { EVENT_TICKET_SIGNER } from '@tiergate/platform';
import { EventAuthService } from './event-auth.service';
import { EventStreamsService } from './event-streams.service';
import { EventTickets } from './event-tickets';
import { EventsController } from './events.controller';

/** The console's push channel: GET /api/events (Server-Sent Events fed from the bus, filtered by scope; docs/events.md). */
@Module({
  controllers: [EventsController],
  providers: [{ provide: EventTickets, inject: [EVENT_TICKET_SIGNER], useFactory: (signer: TokenSigner) => new EventTickets(signer) }, EventAuthService, EventStreamsService],
  exports: [EventStreamsService],
})
export class EventsModule {}
