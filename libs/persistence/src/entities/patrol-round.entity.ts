import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';
import { PatrolRouteEntity } from './patrol-route.entity';

/**
 * A started round of a route: one per (route, planned time). `stops` holds the route's stops as they were at
 * the start, each with the cameras it resolved to; a missed round has no row (it is a planned time with none).
 */
@Entity('patrol_rounds')
@Index('UQ_patrol_rounds_route_planned', ['routeId', 'plannedAt'], { unique: true })
@Index('IDX_patrol_rounds_jurisdiction_planned', ['jurisdictionId', 'plannedAt'])
export class PatrolRoundEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') routeId: string;
  @ManyToOne(() => PatrolRouteEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'routeId' }) route?: PatrolRouteEntity;
  @Column('uuid') jurisdictionId: string;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('timestamptz') plannedAt: Date;
  @Column('timestamptz') startedAt: Date;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  @Column('uuid', { nullable: true }) startedBy: string | null;
  @Column('varchar', { length: 64 }) startedByName: string;
  @Column('uuid', { nullable: true }) finishedBy: string | null;
  @Column('jsonb') stops: unknown[];
}
