import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/** An investigation hold: the camera's segments overlapping [from, to) are kept whatever retention and quota say. */
@Entity('recording_holds')
@Check('CHK_recording_holds_span', `"to" > "from"`)
export class RecordingHoldEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') cameraId: string;
  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'cameraId' }) camera?: CameraEntity;
  @Column('timestamptz') from: Date;
  @Column('timestamptz') to: Date;
  @Column('text') reason: string;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
