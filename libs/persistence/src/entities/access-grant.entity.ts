import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A temporary share: a camera or a whole node (the object) made visible to a user or to a node's
 * users (the grantee) until `expiresAt`, unless revoked earlier.
 */
@Entity('access_grants')
export class AccessGrantEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) cameraId: string | null;
  @Column('uuid', { nullable: true }) jurisdictionId: string | null;
  @Index() @Column('uuid', { nullable: true }) granteeUserId: string | null;
  @Index() @Column('uuid', { nullable: true }) granteeJurisdictionId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
