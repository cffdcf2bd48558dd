import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';

/** A node's own alert level (docs/methods.md, "Alert levels"); the history is the audit log. */
@Entity('jurisdiction_alert_levels')
export class JurisdictionAlertLevelEntity {
  @PrimaryColumn('uuid') jurisdictionId: string;
  @OneToOne(() => JurisdictionEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('smallint') level: number;
  @Column('text') reason: string;
  @Column('timestamptz', { nullable: true }) expiresAt: Date | null;
  @Column('uuid', { nullable: true }) setBy: string | null;
  @Column('varchar', { length: 64 }) setByName: string;
  @Column('timestamptz') setAt: Date;
}
