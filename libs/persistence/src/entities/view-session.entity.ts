import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/**
 * One live-viewing session of one user on one camera and profile (docs/methods.md, real-time monitoring rate):
 * started by POST /api/cameras/:id/live, extended by each renewal within the stream-token TTL; `endedAt` is the
 * last renewal + the TTL.
 */
@Entity('view_sessions')
@Index(['cameraId', 'startedAt'])
@Index(['userId', 'cameraId', 'profile', 'endedAt'])
@Check('CHK_view_sessions_span', `"endedAt" >= "startedAt"`)
export class ViewSessionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** No foreign key: the record outlives the account. */
  @Column('uuid') userId: string;
  @Column('uuid') cameraId: string;
  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'cameraId' }) camera?: CameraEntity;
  @Column('varchar', { length: 8 }) profile: string;
  @Column('timestamptz') startedAt: Date;
  @Column('timestamptz') endedAt: Date;
}
