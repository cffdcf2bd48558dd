import { MigrationInterface, QueryRunner } from "typeorm";

// Generated against Postgres 15 and read: one camera row per ONVIF address and per endpoint reference.

export class CameraUniqueDevice1795919727829 implements MigrationInterface {
    name = 'CameraUniqueDevice1795919727829'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_eb9ec0914158b6bd96597b1ac2"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_cameras_endpoint_reference" ON "cameras" ("endpointReference") WHERE "endpointReference" IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_cameras_onvif_address" ON "cameras" ("onvifHost", "onvifPort") WHERE "onvifHost" IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."UQ_cameras_onvif_address"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_cameras_endpoint_reference"`);
        await queryRunner.query(`CREATE INDEX "IDX_eb9ec0914158b6bd96597b1ac2" ON "cameras" ("endpointReference") `);
    }

}
