import { ApiProperty } from '@nestjs/swagger';

export class EventTicketView {
  @ApiProperty({ description: 'put it in GET /api/events?ticket=… within 30 s; good once' }) ticket: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}
