import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNumber, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

export class HotCell {
  @IsInt() x!: number;
  @IsInt() y!: number;
  @IsInt() @Min(0) count!: number;
  @IsNumber() z!: number;
}

/** Topics.hotspotEvent(jurisdictionId): a hot spot cell appeared or grew in a node. */
export class HotspotChangedMessage {
  @IsString() @MaxLength(64) jurisdictionId!: string;
  @IsIn(['new', 'grown']) kind!: 'new' | 'grown';
  @ValidateNested() @Type(() => HotCell) cell!: HotCell;
  @IsISO8601() at!: string;
}

export const HotspotChangedEvent = defineEvent({ name: 'hotspot-changed', filter: Topics.hotspotEventAll, payload: HotspotChangedMessage });
