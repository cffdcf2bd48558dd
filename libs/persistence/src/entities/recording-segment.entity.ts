import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/**
 * The segment index: one row per recorded file (docs/recording.md, "Storage layout"), written only by the
 * worker that holds the file. A bigint id (the rows are many): it names the segment in VOD paths.
 * Deleting a camera deletes its rows; the worker's crash scan removes the files left without a row.
 */
@Entity('recording_segments')
@Index('IDX_recording_segments_stream_start', ['cameraId', 'profile', 'startAt'])
@Index('IDX_recording_segments_root_start', ['workerId', 'rootId', 'startAt'])
@Index('IDX_recording_segments_keep_until', ['keepUntil'])
export class RecordingSegmentEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid') cameraId: string;
  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'cameraId' }) camera?: CameraEntity;
  @Column('varchar', { length: 8 }) profile: string;
  @Column('varchar', { length: 128 }) workerId: string;
  @Column('varchar', { length: 64 }) rootId: string;
  /** Relative to the storage root. */
  @Column('text') path: string;
  @Column('text') initPath: string;
  @Column('timestamptz') startAt: Date;
  @Column('timestamptz') endAt: Date;
  @Column('bigint') bytes: string;
  @Column('timestamptz') keepUntil: Date;
}
