import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';

@Entity('users')
/** Usernames are unique case-insensitively (`Admin` is `admin`); the index is on lower(username), see the migration. */
@Index('UQ_users_username_lower', { synchronize: false })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Kept as typed; compared case-insensitively (`lower(username)`). */
  @Column('varchar', { length: 64 }) username: string;
  /** scrypt$N$r$p$salt$hash */
  @Column('text') passwordHash: string;
  @Column('varchar', { length: 16 }) role: string;
  /** Home node: the user's scope is its subtree. Null only for the built-in admin (everything). */
  @Index() @Column('uuid', { nullable: true }) jurisdictionId: string | null;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'RESTRICT', nullable: true }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('boolean', { default: false }) builtIn: boolean;
  @Column('boolean', { default: false }) disabled: boolean;
  /**
   * Login tokens carry the version they were issued at; bumping it (password change or reset, disable,
   * role or home change, logout) revokes every earlier token of this user at once.
   */
  @Column('integer', { default: 0 }) tokenVersion: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
