import { MigrationInterface, QueryRunner } from "typeorm";

// Written by hand. `leases`: who acts for a role that exactly one process may play at a time (the
// partitioner: reassignment after tree changes, the published access snapshot); `fence` grows by one on
// every act of the holder, so a holder that lost its lease (a frozen process) cannot act any more.
// `stream_sessions` was never written (live sessions live in the workers' heartbeats): dropped.

export class Leases1796250000000 implements MigrationInterface {
    name = 'Leases1796250000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "leases" ("name" character varying(64) NOT NULL, "holder" character varying(128) NOT NULL, "expiresAt" TIMESTAMP WITH TIME ZONE NOT NULL, "fence" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_leases_name" PRIMARY KEY ("name"))`);
        await queryRunner.query(`DROP TABLE IF EXISTS "stream_sessions"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "leases"`);
    }

}
