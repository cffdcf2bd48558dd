import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('jurisdictions')
export class JurisdictionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Stable external code (GB/T 28181-style numeric codes kept as text). */
  @Index({ unique: true }) @Column('varchar', { length: 64 }) code: string;
  @Column('varchar', { length: 200 }) name: string;
  @Column('varchar', { length: 32 }) tier: string;
  @Index() @Column('uuid', { nullable: true }) parentId: string | null;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'RESTRICT', nullable: true }) @JoinColumn({ name: 'parentId' }) parent?: JurisdictionEntity;
  /** GeoJSON Polygon or MultiPolygon geometry, planar lon/lat. */
  @Column('jsonb', { nullable: true }) boundary: unknown | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
