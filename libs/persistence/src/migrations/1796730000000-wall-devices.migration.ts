import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 15 (docs/kiosk.md): wall devices (kiosks). One row per enrolled screen, beside its account in `users`
// (`device:<name>`, viewer); the secret only as its SHA-256. Deleting the account takes the device row with it.
// Written to match WallDeviceEntity; indexes and constraints named.

export class WallDevices1796730000000 implements MigrationInterface {
  name = 'WallDevices1796730000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "wall_devices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(64) NOT NULL, "userId" uuid NOT NULL, "jurisdictionId" uuid NOT NULL, "wallId" uuid, "monitors" integer NOT NULL DEFAULT 1, "layout" integer NOT NULL DEFAULT 4, "tourSeconds" integer NOT NULL DEFAULT 0, "secretHash" character varying(80) NOT NULL, "createdBy" uuid, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lastSeenAt" TIMESTAMP WITH TIME ZONE, "revokedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_wall_devices_monitors" CHECK ("monitors" BETWEEN 1 AND 16), CONSTRAINT "CHK_wall_devices_tour" CHECK ("tourSeconds" >= 0), CONSTRAINT "PK_wall_devices" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_wall_devices_user" ON "wall_devices" ("userId")`);
    await queryRunner.query(`CREATE INDEX "IDX_wall_devices_jurisdiction" ON "wall_devices" ("jurisdictionId")`);
    await queryRunner.query(`ALTER TABLE "wall_devices" ADD CONSTRAINT "FK_wall_devices_user" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "wall_devices"`);
  }
}
