import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PatrolRoundEntity } from './patrol-round.entity';

/** One camera of one stop of a round marked normal or abnormal; no FK to the camera: the log outlives it. */
@Entity('patrol_marks')
@Index('UQ_patrol_marks_round_stop_camera', ['roundId', 'stopIndex', 'cameraId'], { unique: true })
export class PatrolMarkEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') roundId: string;
  @ManyToOne(() => PatrolRoundEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'roundId' }) round?: PatrolRoundEntity;
  @Column('integer') stopIndex: number;
  @Column('uuid') cameraId: string;
  @Column('varchar', { length: 16 }) result: string;
  @Column('text', { nullable: true }) note: string | null;
  /** Abnormal marks: the snapshot reference (GET /api/cameras/:id/snapshot) and the time it stands for. */
  @Column('text', { nullable: true }) snapshotUrl: string | null;
  @Column('uuid', { nullable: true }) markedBy: string | null;
  @Column('varchar', { length: 64 }) markedByName: string;
  @Column('timestamptz') markedAt: Date;
}
