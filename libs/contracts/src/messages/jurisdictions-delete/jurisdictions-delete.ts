import { Type } from 'class-transformer';
import { IsString, MaxLength, ValidateNested } from 'class-validator';
import { Commands } from '../../topics';
import { defineCommand } from '../message';
import { TreeActor } from '../jurisdictions-import/jurisdictions-import';

/** Commands.jurisdictionsDelete: delete one node (and its subtree rules) as `actor`. */
export class JurisdictionsDeleteRequest {
  @ValidateNested() @Type(() => TreeActor) actor!: TreeActor;
  @IsString() @MaxLength(64) id!: string;
}

export class JurisdictionsDeleteReply {
  @IsString() deleted!: string;
}

export const JurisdictionsDelete = defineCommand({
  name: 'jurisdictions-delete',
  filter: Commands.jurisdictionsDelete,
  request: JurisdictionsDeleteRequest,
  reply: JurisdictionsDeleteReply,
});
