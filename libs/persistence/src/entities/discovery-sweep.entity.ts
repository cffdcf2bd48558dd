import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface SweepFinding {
  endpoint: string;
  host: string;
  port: number;
  xaddr: string;
  scopes: string[];
  manufacturer?: string;
  model?: string;
  cameraId?: string;
  /** The name of that camera (answers only, never stored). */
  cameraName?: string;
}

@Entity('discovery_sweeps')
export class DiscoverySweepEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 16 }) state: string;
  @Column('double precision', { default: 0 }) progress: number;
  @Column('jsonb') params: { cidr?: string; multicast: boolean; ports: number[] };
  @Column('jsonb', { default: () => "'[]'" }) found: SweepFinding[];
  @Column('text', { nullable: true }) error: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  /** Set by every write: a running sweep's progress writes are its heartbeat. */
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
