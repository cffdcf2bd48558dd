import { Column, JoinColumn, ManyToOne, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';

@Entity('incidents')
@Index(['jurisdictionId', 'occurredAt'])
export class IncidentEntity {
  /** The report's own id from the source system. */
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Index() @Column('varchar', { length: 32 }) type: string;
  @Column('timestamptz') occurredAt: Date;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('uuid', { nullable: true }) jurisdictionId: string | null;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'RESTRICT', nullable: true }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @UpdateDateColumn({ type: 'timestamptz' }) importedAt: Date;
}
