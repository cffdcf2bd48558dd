import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';

/** One stop-and-check (盘查) from an imported log: one row is one stop-and-check (docs/methods.md). */
@Entity('stop_checks')
@Index(['jurisdictionId', 'checkedAt'])
@Check('CHK_stop_checks_counts', `"persons" >= 0 AND "vehicles" >= 0`)
export class StopCheckEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('timestamptz') checkedAt: Date;
  /** The place as written in the log (coordinates or a description). */
  @Column('text') place: string;
  @Column('double precision', { nullable: true }) lat: number | null;
  @Column('double precision', { nullable: true }) lon: number | null;
  /** Null once the node is deleted (the row then counts nowhere). */
  @Column('uuid', { nullable: true }) jurisdictionId: string | null;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'SET NULL', nullable: true }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('integer') persons: number;
  @Column('integer') vehicles: number;
  /** One of STOP_CHECK_RESULTS (libs/domain/src/rates/stop-check.ts). */
  @Column('varchar', { length: 16 }) result: string;
  @Column('uuid', { nullable: true }) importedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) importedAt: Date;
}
