import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A named set of cameras shown together: a station preset or a wall built from a hotspot. */
@Entity('camera_walls')
export class CameraWallEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('varchar', { length: 200 }) name: string;
  @Column('varchar', { length: 16 }) kind: string;
  @Index() @Column('uuid', { nullable: true }) jurisdictionId: string | null;
  @Column('jsonb') cameraIds: string[];
  @Column('jsonb', { nullable: true }) source: Record<string, unknown> | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
