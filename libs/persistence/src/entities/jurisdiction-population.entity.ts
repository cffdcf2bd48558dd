import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { JurisdictionEntity } from './jurisdiction.entity';

/** A jurisdiction's own resident population (docs/methods.md, preventable-case rate): from its GeoJSON properties or a CSV import. */
@Entity('jurisdiction_populations')
@Check('CHK_jurisdiction_populations_nonnegative', `"population" >= 0`)
export class JurisdictionPopulationEntity {
  @PrimaryColumn('uuid') jurisdictionId: string;
  @ManyToOne(() => JurisdictionEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'jurisdictionId' }) jurisdiction?: JurisdictionEntity;
  @Column('bigint') population: string;
  /** `geojson` (the boundary import's `population` property) or `csv` (POST /api/jurisdictions/population). */
  @Column('varchar', { length: 16 }) source: string;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
