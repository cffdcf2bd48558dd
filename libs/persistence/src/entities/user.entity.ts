import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column('varchar', { length: 64 }) username: string;
  /** scrypt$N$r$p$salt$hash */
  @Column('text') passwordHash: string;
  @Column('varchar', { length: 16 }) role: string;
  /** Home node: the user's scope is its subtree. Null only for the built-in admin (everything). */
  @Index() @Column('uuid', { nullable: true }) jurisdictionId: string | null;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'RESTRICT', nullable: true }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('boolean', { default: false }) builtIn: boolean;
  @Column('boolean', { default: false }) disabled: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
