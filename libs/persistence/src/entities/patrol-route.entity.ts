import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';

/**
 * A patrol route (docs/methods.md, "Patrol rounds"): ordered stops and a schedule, owned by a node. Deleting a
 * route only stamps `deletedAt`, so its rounds and the rate of past periods stay; deleting the node deletes it.
 */
@Entity('patrol_routes')
export class PatrolRouteEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 200 }) name: string;
  @Index() @Column('uuid') jurisdictionId: string;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('jsonb') stops: unknown[];
  @Column('jsonb') schedule: Record<string, unknown>;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) deletedAt: Date | null;
}
