import { IsIn, IsISO8601 } from 'class-validator';
import { Topics } from '../../topics';
import { defineEvent } from '../message';

export const TREE_CHANGE_REASONS = ['import', 'delete'] as const;

/** Topics.jurisdictionsChanged: the tree changed; every process drops its cached tree. */
export class JurisdictionsChangedMessage {
  @IsIn(TREE_CHANGE_REASONS) reason!: (typeof TREE_CHANGE_REASONS)[number];
  @IsISO8601() at!: string;
}

export const JurisdictionsChangedEvent = defineEvent({ name: 'jurisdictions-changed', filter: Topics.jurisdictionsChanged, payload: JurisdictionsChangedMessage });
