import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { Commands } from '../../topics';
import { defineCommand } from '../message';

/** What a sweep probes (the validated POST /api/discovery/sweeps body, with the server's defaults applied). */
export class SweepParams {
  @IsOptional() @IsString() @MaxLength(64) cidr?: string;
  @IsBoolean() multicast!: boolean;
  @IsArray() @ArrayMaxSize(16) @IsInt({ each: true }) @Min(1, { each: true }) @Max(65535, { each: true }) ports!: number[];
}

/**
 * Commands.sweepStart, gateway → discovery: create this sweep (the id is the gateway's, so that several
 * discovery processes receiving it create one row) and run it. Discovery is the only writer of sweep rows.
 */
export class SweepStartRequest {
  @IsUUID() sweepId!: string;
  @ValidateNested() @Type(() => SweepParams) params!: SweepParams;
  /** The user who asked (reads are limited to the starter and its administrators). */
  @ValidateIf((o: SweepStartRequest) => o.createdBy !== null) @IsUUID() createdBy!: string | null;
}

export class SweepStartReply {
  @IsIn([true]) accepted!: boolean;
}

export const SweepStart = defineCommand({ name: 'sweep-start', filter: Commands.sweepStart, request: SweepStartRequest, reply: SweepStartReply });
