import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** History of live sessions: which worker pulled which camera, when, and why it ended. */
@Entity('stream_sessions')
export class StreamSessionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') cameraId: string;
  @Column('varchar', { length: 8 }) profile: string;
  @Column('varchar', { length: 64 }) workerId: string;
  @Column('varchar', { length: 16 }) state: string;
  @Column('timestamptz') startedAt: Date;
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  @Column('text', { nullable: true }) reason: string | null;
}
