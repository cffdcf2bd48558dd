import { MigrationInterface, QueryRunner } from "typeorm";

// Written by hand and read (TypeORM generates the same for an @UpdateDateColumn): when a sweep row was
// last written. A running sweep writes its progress every 250 ms, so a stale row is a sweep whose
// discovery process is gone (see apps/discovery/src/sweep/sweep.reaper.ts).

export class SweepHeartbeat1796163084736 implements MigrationInterface {
    name = 'SweepHeartbeat1796163084736'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "discovery_sweeps" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "discovery_sweeps" DROP COLUMN "updatedAt"`);
    }

}
