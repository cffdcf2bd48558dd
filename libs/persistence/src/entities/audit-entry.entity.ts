import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: the migration installs a trigger that refuses UPDATE and DELETE. */
@Entity('audit_log')
@Index(['at'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @CreateDateColumn({ type: 'timestamptz' }) at: Date;
  @Index() @Column('uuid', { nullable: true }) actorId: string | null;
  @Column('varchar', { length: 64, nullable: true }) actorName: string | null;
  @Index() @Column('varchar', { length: 64 }) action: string;
  @Column('varchar', { length: 32, nullable: true }) targetType: string | null;
  @Index() @Column('varchar', { length: 64, nullable: true }) targetId: string | null;
  @Column('varchar', { length: 64, nullable: true }) ip: string | null;
  @Column('jsonb', { nullable: true }) details: Record<string, unknown> | null;
}
