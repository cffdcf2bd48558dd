import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { hashPassword, passwordProblem } from '@tiergate/access';

export const BUILT_IN_ADMIN = 'admin';

/**
 * Sets the built-in admin's password in the database and bumps its token version (every session of it
 * ends), with an audit entry. Refuses a password that fails the policy. Answers the admin's id.
 */
export async function resetBuiltInAdminPassword(dataSource: DataSource, password: string): Promise<string> {
  const problem = passwordProblem(password, BUILT_IN_ADMIN);
  if (problem) throw new Error(`the new password is refused: ${problem}`);
  const passwordHash = await hashPassword(password);
  return dataSource.transaction(async (m) => {
    const [admin] = await m.query(`SELECT id FROM users WHERE "builtIn" = true ORDER BY "createdAt" LIMIT 1 FOR UPDATE`);
    if (!admin) throw new Error('there is no built-in admin yet: start Tiergate once, it creates one');
    await m.query(`UPDATE users SET "passwordHash" = $1, "tokenVersion" = "tokenVersion" + 1, disabled = false WHERE id = $2`, [passwordHash, admin.id]);
    await m.query(`INSERT INTO audit_log ("actorName", action, "targetType", "targetId", details) VALUES ('server-console', 'user.password-reset', 'user', $1, $2)`, [
      admin.id,
      JSON.stringify({ username: BUILT_IN_ADMIN, via: 'npm run admin:reset-password', sessionsEnded: true }),
    ]);
    return admin.id as string;
  });
}

/**
 * Why the embedded database cannot be opened by this command, or undefined. PGlite is single-process:
 * opening its files while Tiergate runs would corrupt them. Its `postmaster.pid` exists while it is open.
 */
export function embeddedDatabaseProblem(dataDir: string): string | undefined {
  const pg = resolve(join(dataDir, 'pg'));
  if (!existsSync(join(pg, 'PG_VERSION'))) return `there is no Tiergate database in ${pg}: set TIERGATE_DATA_DIR (or DATABASE_URL) as Tiergate runs with`;
  if (existsSync(join(pg, 'postmaster.pid'))) {
    return `the embedded database in ${pg} is open (its postmaster.pid exists): stop Tiergate first (if it is not running, it crashed: delete ${join(pg, 'postmaster.pid')} and try again)`;
  }
  return undefined;
}
