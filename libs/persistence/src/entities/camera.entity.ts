import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CameraDeviceInfo, CameraProfile } from '@tiergate/domain';
import { JurisdictionEntity } from './jurisdiction.entity';

/** Stored as jsonb; the shapes live in the domain so adapter, database and API agree. */
export type CameraProfileRecord = CameraProfile;
export type CameraDeviceRecord = CameraDeviceInfo;

@Entity('cameras')
// One camera per ONVIF device: the same address or endpoint reference twice is a conflict, even in a race.
@Index('UQ_cameras_onvif_address', ['onvifHost', 'onvifPort'], { unique: true, where: '"onvifHost" IS NOT NULL' })
@Index('UQ_cameras_endpoint_reference', ['endpointReference'], { unique: true, where: '"endpointReference" IS NOT NULL' })
export class CameraEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 200 }) name: string;
  @Index() @Column('uuid', { nullable: true }) jurisdictionId: string | null;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'RESTRICT', nullable: true }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  /** True when an operator pinned the jurisdiction by hand: geometry no longer moves it. */
  @Column('boolean', { default: false }) jurisdictionPinned: boolean;
  @Column('double precision', { nullable: true }) lat: number | null;
  @Column('double precision', { nullable: true }) lon: number | null;
  @Column('text', { array: true, default: () => "'{}'" }) tags: string[];
  @Column('varchar', { length: 255, nullable: true }) onvifHost: string | null;
  @Column('integer', { nullable: true }) onvifPort: number | null;
  @Column('varchar', { length: 128, nullable: true }) username: string | null;
  /** AES-256-GCM sealed password (see libs/access secret-box), never the password itself. */
  @Column('text', { nullable: true }) passwordSealed: string | null;
  /** Plain RTSP URL without credentials, for cameras added by RTSP URL. */
  @Column('text', { nullable: true }) rtspUrl: string | null;
  @Column('text', { nullable: true }) snapshotUri: string | null;
  @Column('varchar', { length: 255, nullable: true }) endpointReference: string | null;
  @Column('jsonb', { default: () => "'[]'" }) profiles: CameraProfileRecord[];
  @Column('jsonb', { nullable: true }) device: CameraDeviceRecord | null;
  @Index() @Column('varchar', { length: 16, default: 'unknown' }) status: string;
  @Column('text', { nullable: true }) statusReason: string | null;
  @Column('timestamptz', { nullable: true }) lastSeenAt: Date | null;
  @Column('timestamptz', { nullable: true }) statusCheckedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
