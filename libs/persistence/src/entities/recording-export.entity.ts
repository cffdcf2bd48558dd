import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An evidence export job and its result. No foreign key to the camera: an export is a record of footage
 * taken out of the system and outlives the camera (the audit log names it too).
 */
@Entity('recording_exports')
export class RecordingExportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') cameraId: string;
  @Column('varchar', { length: 8 }) profile: string;
  @Column('timestamptz') from: Date;
  @Column('timestamptz') to: Date;
  @Column('text') reason: string;
  @Column('varchar', { length: 16, default: 'queued' }) state: string;
  @Column('double precision', { default: 0 }) progress: number;
  @Column('varchar', { length: 128, nullable: true }) workerId: string | null;
  @Column('text', { nullable: true }) path: string | null;
  @Column('varchar', { length: 64, nullable: true }) sha256: string | null;
  @Column('bigint', { nullable: true }) bytes: string | null;
  @Column('text', { nullable: true }) failure: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
}
