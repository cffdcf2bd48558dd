import { Type } from 'class-transformer';
import { IsInt, IsObject, IsString, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { Commands } from '../../topics';
import { defineCommand } from '../message';

/** Who asks the partitioner to change the tree (the verified caller of the gateway). */
export class TreeActor {
  @IsString() @MaxLength(64) userId!: string;
  @IsString() @MaxLength(128) username!: string;
  @IsString() @MaxLength(32) role!: string;
  /** Home node; null for the built-in admin (may change the whole tree). */
  @ValidateIf((o: TreeActor) => o.jurisdictionId !== null) @IsString() jurisdictionId!: string | null;
}

/** Commands.jurisdictionsImport: import a GeoJSON tree as `actor` (the partitioner validates the features). */
export class JurisdictionsImportRequest {
  @ValidateNested() @Type(() => TreeActor) actor!: TreeActor;
  /** The GeoJSON FeatureCollection as parsed JSON (validated feature by feature by the partitioner). */
  @IsObject() featureCollection!: unknown;
}

export class JurisdictionsImportReply {
  @IsInt() @Min(0) created!: number;
  @IsInt() @Min(0) updated!: number;
  @IsInt() @Min(0) unchanged!: number;
  @IsInt() @Min(0) reassignedCameras!: number;
  @IsInt() @Min(0) reassignedIncidents!: number;
}

export const JurisdictionsImport = defineCommand({
  name: 'jurisdictions-import',
  filter: Commands.jurisdictionsImport,
  request: JurisdictionsImportRequest,
  reply: JurisdictionsImportReply,
});

