import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 15 (docs/alarms.md): camera alarms from ONVIF motion/tamper events. One row per event start (repeats within
// the dedup window folded in), its end, and its acknowledgement. Written to match CameraAlarmEntity; indexes and
// constraints named. A deleted camera takes its alarms with it (the acknowledgements stay in the audit log).

export class Alarms1796710000000 implements MigrationInterface {
  name = 'Alarms1796710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "camera_alarms" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cameraId" uuid NOT NULL, "kind" character varying(16) NOT NULL, "state" character varying(16) NOT NULL DEFAULT 'new', "active" boolean NOT NULL, "startedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "lastEventAt" TIMESTAMP WITH TIME ZONE NOT NULL, "endedAt" TIMESTAMP WITH TIME ZONE, "eventCount" integer NOT NULL DEFAULT 1, "firstEventId" uuid NOT NULL, "lastEventId" uuid NOT NULL, "topic" character varying(128) NOT NULL, "cameraTime" TIMESTAMP WITH TIME ZONE, "acknowledgedAt" TIMESTAMP WITH TIME ZONE, "acknowledgedBy" uuid, "acknowledgedByName" character varying(64), "note" character varying(500), CONSTRAINT "CHK_camera_alarms_kind" CHECK ("kind" IN ('motion', 'tamper')), CONSTRAINT "CHK_camera_alarms_state" CHECK ("state" IN ('new', 'acknowledged')), CONSTRAINT "UQ_camera_alarms_first_event" UNIQUE ("firstEventId"), CONSTRAINT "PK_camera_alarms" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_camera_alarms_camera_kind_started" ON "camera_alarms" ("cameraId", "kind", "startedAt")`);
    await queryRunner.query(`CREATE INDEX "IDX_camera_alarms_started" ON "camera_alarms" ("startedAt")`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" ADD CONSTRAINT "FK_camera_alarms_camera" FOREIGN KEY ("cameraId") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "camera_alarms"`);
  }
}
