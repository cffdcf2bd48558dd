import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small named values the system keeps for itself (e.g. the generated secret key fingerprint). */
@Entity('settings')
export class SettingEntity {
  @PrimaryColumn('varchar', { length: 64 }) key: string;
  @Column('jsonb') value: unknown;
}
