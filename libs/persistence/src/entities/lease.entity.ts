import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A role one process plays at a time (see LeaseRepository). */
@Entity('leases')
export class LeaseEntity {
  @PrimaryColumn('varchar', { length: 64, primaryKeyConstraintName: 'PK_leases_name' }) name: string;
  @Column('varchar', { length: 128 }) holder: string;
  @Column('timestamptz') expiresAt: Date;
  @Column('bigint', { default: '0' }) fence: string;
}
