import { MigrationInterface, QueryRunner } from "typeorm";

// Issue 16 (docs/methods.md): jurisdiction populations (preventable-case rate), the imported stop-and-check log
// (capture rate) and live-viewing sessions (real-time monitoring rate). Written from the entities, constraint
// and index names given. Deleting a node deletes its population and leaves its stop-and-checks with no node;
// deleting a camera deletes its viewing sessions.

export class Rates1796600000000 implements MigrationInterface {
    name = 'Rates1796600000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "jurisdiction_populations" ("jurisdictionId" uuid NOT NULL, "population" bigint NOT NULL, "source" character varying(16) NOT NULL, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_jurisdiction_populations_nonnegative" CHECK ("population" >= 0), CONSTRAINT "PK_jurisdiction_populations" PRIMARY KEY ("jurisdictionId"))`);
        await queryRunner.query(`CREATE TABLE "stop_checks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "checkedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "place" text NOT NULL, "lat" double precision, "lon" double precision, "jurisdictionId" uuid, "persons" integer NOT NULL, "vehicles" integer NOT NULL, "result" character varying(16) NOT NULL, "importedBy" uuid, "importedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_stop_checks_counts" CHECK ("persons" >= 0 AND "vehicles" >= 0), CONSTRAINT "PK_stop_checks" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_stop_checks_jurisdiction_checked" ON "stop_checks" ("jurisdictionId", "checkedAt") `);
        await queryRunner.query(`CREATE TABLE "view_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "userId" uuid NOT NULL, "cameraId" uuid NOT NULL, "profile" character varying(8) NOT NULL, "startedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "endedAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_view_sessions_span" CHECK ("endedAt" >= "startedAt"), CONSTRAINT "PK_view_sessions" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_view_sessions_camera_started" ON "view_sessions" ("cameraId", "startedAt") `);
        await queryRunner.query(`CREATE INDEX "IDX_view_sessions_viewer_open" ON "view_sessions" ("userId", "cameraId", "profile", "endedAt") `);
        await queryRunner.query(`ALTER TABLE "jurisdiction_populations" ADD CONSTRAINT "FK_jurisdiction_populations_jurisdiction" FOREIGN KEY ("jurisdictionId") REFERENCES "jurisdictions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "stop_checks" ADD CONSTRAINT "FK_stop_checks_jurisdiction" FOREIGN KEY ("jurisdictionId") REFERENCES "jurisdictions"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "view_sessions" ADD CONSTRAINT "FK_view_sessions_camera" FOREIGN KEY ("cameraId") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "view_sessions"`);
        await queryRunner.query(`DROP TABLE "stop_checks"`);
        await queryRunner.query(`DROP TABLE "jurisdiction_populations"`);
    }

}
