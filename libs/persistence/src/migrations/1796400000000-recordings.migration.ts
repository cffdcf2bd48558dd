import { MigrationInterface, QueryRunner } from "typeorm";

// Issue 14 (docs/recording.md): recording rules and investigation holds (written through the gateway), the
// segment index (written by the recording workers) and export jobs. Generated from the entities (schema
// builder), then the indexes and checks given names. Deleting a camera deletes its camera rules, holds and
// segment rows (the worker's crash scan removes the orphaned files); deleting a node deletes its rules.
// Exports keep no foreign key: they outlive the camera as a record of footage taken out.

export class Recordings1796400000000 implements MigrationInterface {
    name = 'Recordings1796400000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "recording_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "targetType" character varying(16) NOT NULL, "targetValue" character varying(200) NOT NULL, "cameraId" uuid, "mode" character varying(16) NOT NULL, "bufferMinutes" integer, "profile" character varying(8) NOT NULL, "retentionDays" integer NOT NULL, "jurisdictionId" uuid NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "createdBy" uuid, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_recording_rules_camera_target" CHECK (("targetType" = 'camera') = ("cameraId" IS NOT NULL)), CONSTRAINT "PK_268d3ba77f4513a27c2e8836cc7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_af996594bf9ad35443f51545b6" ON "recording_rules" ("cameraId") `);
        await queryRunner.query(`CREATE INDEX "IDX_7f7dc2db754b445348ee54ffd7" ON "recording_rules" ("jurisdictionId") `);
        await queryRunner.query(`CREATE TABLE "recording_holds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cameraId" uuid NOT NULL, "from" TIMESTAMP WITH TIME ZONE NOT NULL, "to" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text NOT NULL, "createdBy" uuid, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_recording_holds_span" CHECK ("to" > "from"), CONSTRAINT "PK_f1a132694568b73d2b64ffcf1bb" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_65052053c0958389f5dbdf19a6" ON "recording_holds" ("cameraId") `);
        await queryRunner.query(`CREATE TABLE "recording_segments" ("id" BIGSERIAL NOT NULL, "cameraId" uuid NOT NULL, "profile" character varying(8) NOT NULL, "workerId" character varying(128) NOT NULL, "rootId" character varying(64) NOT NULL, "path" text NOT NULL, "initPath" text NOT NULL, "startAt" TIMESTAMP WITH TIME ZONE NOT NULL, "endAt" TIMESTAMP WITH TIME ZONE NOT NULL, "bytes" bigint NOT NULL, "keepUntil" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1649c47feefd795369d0a04f540" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_recording_segments_keep_until" ON "recording_segments" ("keepUntil") `);
        await queryRunner.query(`CREATE INDEX "IDX_recording_segments_root_start" ON "recording_segments" ("workerId", "rootId", "startAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_recording_segments_stream_start" ON "recording_segments" ("cameraId", "profile", "startAt") `);
        await queryRunner.query(`CREATE TABLE "recording_exports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cameraId" uuid NOT NULL, "profile" character varying(8) NOT NULL, "from" TIMESTAMP WITH TIME ZONE NOT NULL, "to" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text NOT NULL, "state" character varying(16) NOT NULL DEFAULT 'queued', "progress" double precision NOT NULL DEFAULT '0', "workerId" character varying(128), "path" text, "sha256" character varying(64), "bytes" bigint, "failure" text, "createdBy" uuid, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finishedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_12686290f5a4caca538ef548bc1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_09fc9e798c36a5c3746711ae0b" ON "recording_exports" ("cameraId") `);
        await queryRunner.query(`ALTER TABLE "recording_rules" ADD CONSTRAINT "FK_af996594bf9ad35443f51545b6d" FOREIGN KEY ("cameraId") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "recording_rules" ADD CONSTRAINT "FK_7f7dc2db754b445348ee54ffd7b" FOREIGN KEY ("jurisdictionId") REFERENCES "jurisdictions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "recording_holds" ADD CONSTRAINT "FK_65052053c0958389f5dbdf19a63" FOREIGN KEY ("cameraId") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "recording_segments" ADD CONSTRAINT "FK_d52037e75e93dfacad766490934" FOREIGN KEY ("cameraId") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "recording_exports"`);
        await queryRunner.query(`DROP TABLE "recording_segments"`);
        await queryRunner.query(`DROP TABLE "recording_holds"`);
        await queryRunner.query(`DROP TABLE "recording_rules"`);
    }

}
