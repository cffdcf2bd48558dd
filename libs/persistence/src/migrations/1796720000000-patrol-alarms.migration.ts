import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 16 (docs/alarms.md "Patrol alarms"): an abnormal patrol mark may raise an alarm of kind `patrol`. The kind
// check takes the new kind; the alarm keeps the round, the stop, the officer's note and who marked it (no foreign key
// to patrol_rounds: rounds are never deleted, and an alarm outlives nothing it names). Written to match
// CameraAlarmEntity.

export class PatrolAlarms1796720000000 implements MigrationInterface {
  name = 'PatrolAlarms1796720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "camera_alarms" DROP CONSTRAINT "CHK_camera_alarms_kind"`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" ADD CONSTRAINT "CHK_camera_alarms_kind" CHECK ("kind" IN ('motion', 'tamper', 'patrol'))`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" ADD "roundId" uuid`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" ADD "stopIndex" integer`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" ADD "markNote" character varying(2000)`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" ADD "markedByName" character varying(64)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "camera_alarms" WHERE "kind" = 'patrol'`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" DROP COLUMN "markedByName"`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" DROP COLUMN "markNote"`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" DROP COLUMN "stopIndex"`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" DROP COLUMN "roundId"`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" DROP CONSTRAINT "CHK_camera_alarms_kind"`);
    await queryRunner.query(`ALTER TABLE "camera_alarms" ADD CONSTRAINT "CHK_camera_alarms_kind" CHECK ("kind" IN ('motion', 'tamper'))`);
  }
}
