import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min, registerDecorator, ValidationArguments } from 'class-validator';
import { AREA_LEVELS, AreaLevel, DEFAULT_CELL_SIZE, DEFAULT_RADIUS, DEFAULT_SLICES, MAX_SLICES, MIN_CELL_SIZE, MIN_SLICES, SLICE_UNITS, SliceUnit } from '@tiergate/domain';
import { IncidentFilterQuery } from '../incidents/incidents.dto';

export const MAX_CELL_SIZE = 20_000;
export const MAX_RADIUS = 50_000;

/**
 * Adds to `query`'s `to` (declared in IncidentFilterQuery): not before `from` when both are given. An inverted
 * range is refused (400) rather than answered as an empty period (every area at 0).
 */
function refuseToBeforeFrom(query: new () => IncidentFilterQuery): void {
  registerDecorator({
    name: 'notBeforeFrom',
    target: query,
    propertyName: 'to',
    options: { message: 'to must not be before from' },
    validator: {
      validate(to: unknown, args: ValidationArguments) {
        const from = (args.object as IncidentFilterQuery).from;
        const valid = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
        return !(valid(to) && valid(from)) || to.getTime() >= from.getTime(); // a bad date has its own message
      },
    },
  });
}

export class HotspotsQuery extends IncidentFilterQuery {
  @ApiPropertyOptional({ default: DEFAULT_CELL_SIZE, description: 'cell edge, EPSG:3857 metres' })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(MIN_CELL_SIZE) @Max(MAX_CELL_SIZE) cellSize?: number;
  @ApiPropertyOptional({ default: DEFAULT_RADIUS, description: 'fixed distance band between cell centres, EPSG:3857 metres' })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(MAX_RADIUS) radius?: number;
}

export class HotspotSummaryQuery extends IncidentFilterQuery {}

refuseToBeforeFrom(HotspotsQuery);
refuseToBeforeFrom(HotspotSummaryQuery);

/** GET /api/hotspots/emerging: the hotspot query plus the slicing (docs/methods.md "Emerging hot spots"). */
export class EmergingHotspotsQuery extends HotspotsQuery {
  @ApiPropertyOptional({ enum: SLICE_UNITS, default: 'week', description: 'length of a time slice; weeks start on local Monday 00:00' })
  @IsOptional() @IsIn(SLICE_UNITS) slice?: SliceUnit;
  @ApiPropertyOptional({ default: DEFAULT_SLICES, minimum: MIN_SLICES, maximum: MAX_SLICES, description: 'number of slices ending at `to` (give this or `from`, not both)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(MIN_SLICES) @Max(MAX_SLICES) slices?: number;
}

/** GET /api/hotspots/areas: the hotspot query plus the least confidence of an area's cells (docs/methods.md "Hotspot areas"). */
export class HotspotAreasQuery extends HotspotsQuery {
  @ApiPropertyOptional({ enum: AREA_LEVELS, default: 90, description: 'least confidence (%) a hot cell needs to be part of an area: 90 (z >= 1.645), 95 (1.96) or 99 (2.576)' })
  @IsOptional() @Type(() => Number) @IsIn(AREA_LEVELS as unknown as number[]) confidence?: AreaLevel;
}

refuseToBeforeFrom(HotspotAreasQuery);
