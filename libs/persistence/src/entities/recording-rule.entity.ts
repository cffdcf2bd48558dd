import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';
import { JurisdictionEntity } from './jurisdiction.entity';

/**
 * What is recorded (docs/recording.md, "Rules"): a camera, the cameras of a tag or a whole subtree, owned by a
 * node. A camera rule also fills `cameraId`, so that deleting the camera deletes its rules (the FK cascades);
 * deleting the owning node deletes its rules too.
 */
@Entity('recording_rules')
@Check('CHK_recording_rules_camera_target', `("targetType" = 'camera') = ("cameraId" IS NOT NULL)`)
export class RecordingRuleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 200 }) name: string;
  @Column('varchar', { length: 16 }) targetType: string;
  @Column('varchar', { length: 200 }) targetValue: string;
  @Index() @Column('uuid', { nullable: true }) cameraId: string | null;
  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE', nullable: true }) @JoinColumn({ name: 'cameraId' }) camera?: CameraEntity;
  @Column('varchar', { length: 16 }) mode: string;
  @Column('integer', { nullable: true }) bufferMinutes: number | null;
  @Column('varchar', { length: 8 }) profile: string;
  @Column('integer') retentionDays: number;
  @Index() @Column('uuid') jurisdictionId: string;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('boolean', { default: true }) enabled: boolean;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
