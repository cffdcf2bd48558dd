import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/**
 * An alarm from a camera's ONVIF motion or tamper event, or raised by an abnormal patrol mark (kind `patrol`, with its
 * round, stop, note and officer) (docs/alarms.md); written by CameraAlarmsRepository only.
 */
@Entity('camera_alarms')
@Index('IDX_camera_alarms_camera_kind_started', ['cameraId', 'kind', 'startedAt'])
@Index('IDX_camera_alarms_started', ['startedAt'])
export class CameraAlarmEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') cameraId: string;
  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'cameraId' }) camera?: CameraEntity;
  @Column('varchar', { length: 16 }) kind: string;
  @Column('varchar', { length: 16, default: 'new' }) state: string;
  @Column('boolean') active: boolean;
  @Column('timestamptz') startedAt: Date;
  @Column('timestamptz') lastEventAt: Date;
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  @Column('integer', { default: 1 }) eventCount: number;
  @Column('uuid', { unique: true }) firstEventId: string;
  @Column('uuid') lastEventId: string;
  @Column('varchar', { length: 128 }) topic: string;
  @Column('timestamptz', { nullable: true }) cameraTime: Date | null;
  @Column('timestamptz', { nullable: true }) acknowledgedAt: Date | null;
  @Column('uuid', { nullable: true }) acknowledgedBy: string | null;
  @Column('varchar', { length: 64, nullable: true }) acknowledgedByName: string | null;
  @Column('varchar', { length: 500, nullable: true }) note: string | null;
  /** kind `patrol`: the round and stop marked abnormal, the officer's note and username. */
  @Column('uuid', { nullable: true }) roundId: string | null;
  @Column('integer', { nullable: true }) stopIndex: number | null;
  @Column('varchar', { length: 2000, nullable: true }) markNote: string | null;
  @Column('varchar', { length: 64, nullable: true }) markedByName: string | null;
}
