import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsOptional, IsUUID } from 'class-validator';
import { queryDate } from '../incidents/incidents.dto';

/** GET /api/rates. */
export class RatesQueryDto {
  @ApiPropertyOptional({ description: 'a node in your scope (default: your home node; the built-in admin: the whole tree)' })
  @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiProperty({ description: 'inclusive; YYYY-MM-DD (UTC midnight) or ISO 8601 with offset' })
  @Transform(queryDate) @IsDate({ message: 'from must be YYYY-MM-DD or an ISO 8601 date-time with an offset' }) from: Date;
  @ApiProperty({ description: 'exclusive; YYYY-MM-DD (UTC midnight) or ISO 8601 with offset; at most 800 days after from' })
  @Transform(queryDate) @IsDate({ message: 'to must be YYYY-MM-DD or an ISO 8601 date-time with an offset' }) to: Date;
}
