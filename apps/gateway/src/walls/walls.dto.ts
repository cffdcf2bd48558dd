import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { DEFAULT_CELL_SIZE, DEFAULT_RADIUS, MIN_CELL_SIZE } from '@tiergate/domain';
import { MAX_CELL_SIZE, MAX_RADIUS } from '../hotspots/hotspots.dto';

export const MAX_WALL_CAMERAS = 64;
export const DEFAULT_WALL_CAMERAS = 9;

export class WallHotspotDto {
  @ApiProperty({ description: 'cell index: floor(x / cellSize) in EPSG:3857 metres' }) @IsInt() x: number;
  @ApiProperty({ description: 'cell index: floor(y / cellSize) in EPSG:3857 metres' }) @IsInt() y: number;
  @ApiPropertyOptional({ default: DEFAULT_CELL_SIZE }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(MIN_CELL_SIZE) @Max(MAX_CELL_SIZE) cellSize?: number;
  @ApiPropertyOptional({ default: DEFAULT_RADIUS }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(MAX_RADIUS) radius?: number;
}

/** Either `hotspot` (the nearest `limit` visible cameras within its radius) or `cameraIds`. */
export class CreateWallDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ type: WallHotspotDto }) @IsOptional() @ValidateNested() @Type(() => WallHotspotDto) hotspot?: WallHotspotDto;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_WALL_CAMERAS) @IsUUID('all', { each: true }) cameraIds?: string[];
  @ApiPropertyOptional({ default: DEFAULT_WALL_CAMERAS, maximum: MAX_WALL_CAMERAS }) @IsOptional() @IsInt() @Min(1) @Max(MAX_WALL_CAMERAS) limit?: number;
}
