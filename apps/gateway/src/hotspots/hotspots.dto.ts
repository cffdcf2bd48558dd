import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_CELL_SIZE, DEFAULT_RADIUS, MIN_CELL_SIZE } from '@tiergate/domain';
import { IncidentFilterQuery } from '../incidents/incidents.dto';

export const MAX_CELL_SIZE = 20_000;
export const MAX_RADIUS = 50_000;

export class HotspotsQuery extends IncidentFilterQuery {
  @ApiPropertyOptional({ default: DEFAULT_CELL_SIZE, description: 'cell edge, EPSG:3857 metres' })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(MIN_CELL_SIZE) @Max(MAX_CELL_SIZE) cellSize?: number;
  @ApiPropertyOptional({ default: DEFAULT_RADIUS, description: 'fixed distance band between cell centres, EPSG:3857 metres' })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(MAX_RADIUS) radius?: number;
}

export class HotspotSummaryQuery extends IncidentFilterQuery {}
