import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 16 (docs/methods.md): patrol routes (soft-deleted, so past rounds and rates stay), started rounds (one per
// route and planned time), their marks, and each node's own alert level. Written to match the entities; indexes
// and constraints named. Deleting a node deletes its routes, rounds and level; a route's rounds go with it only
// when the row itself is deleted (the API only stamps deletedAt).

export class Patrol1796500000000 implements MigrationInterface {
  name = 'Patrol1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "patrol_routes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "jurisdictionId" uuid NOT NULL, "stops" jsonb NOT NULL, "schedule" jsonb NOT NULL, "createdBy" uuid, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deletedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_patrol_routes" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_patrol_routes_jurisdiction" ON "patrol_routes" ("jurisdictionId")`);
    await queryRunner.query(`CREATE TABLE "patrol_rounds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "routeId" uuid NOT NULL, "jurisdictionId" uuid NOT NULL, "plannedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "startedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "finishedAt" TIMESTAMP WITH TIME ZONE, "startedBy" uuid, "startedByName" character varying(64) NOT NULL, "finishedBy" uuid, "stops" jsonb NOT NULL, CONSTRAINT "PK_patrol_rounds" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_patrol_rounds_route_planned" ON "patrol_rounds" ("routeId", "plannedAt")`);
    await queryRunner.query(`CREATE INDEX "IDX_patrol_rounds_jurisdiction_planned" ON "patrol_rounds" ("jurisdictionId", "plannedAt")`);
    await queryRunner.query(`CREATE TABLE "patrol_marks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "roundId" uuid NOT NULL, "stopIndex" integer NOT NULL, "cameraId" uuid NOT NULL, "result" character varying(16) NOT NULL, "note" text, "snapshotUrl" text, "markedBy" uuid, "markedByName" character varying(64) NOT NULL, "markedAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_patrol_marks" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_patrol_marks_round_stop_camera" ON "patrol_marks" ("roundId", "stopIndex", "cameraId")`);
    await queryRunner.query(`CREATE TABLE "jurisdiction_alert_levels" ("jurisdictionId" uuid NOT NULL, "level" smallint NOT NULL, "reason" text NOT NULL, "expiresAt" TIMESTAMP WITH TIME ZONE, "setBy" uuid, "setByName" character varying(64) NOT NULL, "setAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_jurisdiction_alert_levels_level" CHECK ("level" BETWEEN 1 AND 3), CONSTRAINT "PK_jurisdiction_alert_levels" PRIMARY KEY ("jurisdictionId"))`);
    await queryRunner.query(`ALTER TABLE "patrol_routes" ADD CONSTRAINT "FK_patrol_routes_jurisdiction" FOREIGN KEY ("jurisdictionId") REFERENCES "jurisdictions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "patrol_rounds" ADD CONSTRAINT "FK_patrol_rounds_route" FOREIGN KEY ("routeId") REFERENCES "patrol_routes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "patrol_rounds" ADD CONSTRAINT "FK_patrol_rounds_jurisdiction" FOREIGN KEY ("jurisdictionId") REFERENCES "jurisdictions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "patrol_marks" ADD CONSTRAINT "FK_patrol_marks_round" FOREIGN KEY ("roundId") REFERENCES "patrol_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "jurisdiction_alert_levels" ADD CONSTRAINT "FK_jurisdiction_alert_levels_jurisdiction" FOREIGN KEY ("jurisdictionId") REFERENCES "jurisdictions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "jurisdiction_alert_levels"`);
    await queryRunner.query(`DROP TABLE "patrol_marks"`);
    await queryRunner.query(`DROP TABLE "patrol_rounds"`);
    await queryRunner.query(`DROP TABLE "patrol_routes"`);
  }
}
