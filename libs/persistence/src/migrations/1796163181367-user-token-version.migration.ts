import { MigrationInterface, QueryRunner } from "typeorm";

// Generated against Postgres 15 (the token version column and the dropped case-sensitive index), then
// completed by hand: TypeORM cannot declare an index on an expression.
// - `tokenVersion`: login tokens carry it; bumping it revokes every earlier token of the user.
// - usernames unique case-insensitively: a unique index on lower(username). Rows that already collide
//   (`Admin` beside `admin`) keep working under a new name: the built-in user, then the oldest, keeps
//   its name; each other gets `.2`, `.3`… appended (the username alphabet allows dots), its token version
//   bumped (its sessions end) and an audit entry saying so. Nothing is deleted.

export class UserTokenVersion1796163181367 implements MigrationInterface {
    name = 'UserTokenVersion1796163181367'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_fe0bb3f6520ee0469504521e71"`);
        await queryRunner.query(`ALTER TABLE "users" ADD "tokenVersion" integer NOT NULL DEFAULT '0'`);
        const result = await queryRunner.query(`
            WITH ranked AS (
                SELECT id, username, row_number() OVER (PARTITION BY lower(username) ORDER BY "builtIn" DESC, "createdAt", id) AS n
                  FROM "users")
            UPDATE "users" u SET username = left(r.username, 60) || '.' || r.n, "tokenVersion" = u."tokenVersion" + 1
              FROM ranked r WHERE u.id = r.id AND r.n > 1
            RETURNING u.id, r.username AS before, u.username AS after`);
        // TypeORM's postgres driver answers an UPDATE … RETURNING as [rows, affected].
        const renamed: { id: string; before: string; after: string }[] = Array.isArray(result[0]) ? result[0] : result;
        for (const r of renamed) {
            await queryRunner.query(
                `INSERT INTO "audit_log" ("actorName", "action", "targetType", "targetId", "details") VALUES ('migration', 'user.rename', 'user', $1, $2)`,
                [r.id, JSON.stringify({ from: r.before, to: r.after, reason: 'usernames are unique case-insensitively' })],
            );
        }
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_username_lower" ON "users" (lower("username"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."UQ_users_username_lower"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "tokenVersion"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_fe0bb3f6520ee0469504521e71" ON "users" ("username") `);
    }

}
