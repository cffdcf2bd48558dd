import { Column, CreateDateColumn, Entity, Index, JoinColumn, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * A screen enrolled as an always-on wall for one jurisdiction (docs/kiosk.md). Its account is a user row of its own
 * kind (`device:<name>`, viewer, home = the jurisdiction); only the SHA-256 of its secret is kept. Written by
 * WallDevicesRepository only.
 */
@Entity('wall_devices')
export class WallDeviceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 64 }) name: string;
  @Index('UQ_wall_devices_user', { unique: true }) @Column('uuid') userId: string;
  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'userId' }) user?: UserEntity;
  @Index('IDX_wall_devices_jurisdiction') @Column('uuid') jurisdictionId: string;
  /** A saved wall (camera_walls) whose cameras it shows; null: the jurisdiction's cameras. No foreign key: a deleted wall falls back. */
  @Column('uuid', { nullable: true }) wallId: string | null;
  @Column('integer', { default: 1 }) monitors: number;
  @Column('integer', { default: 4 }) layout: number;
  /** Seconds per tour page; 0: no tour. */
  @Column('integer', { default: 0 }) tourSeconds: number;
  @Column('varchar', { length: 80 }) secretHash: string;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) lastSeenAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}
