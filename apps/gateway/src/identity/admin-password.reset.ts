import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hashPassword, passwordProblem } from '@tiergate/access';
import type { AuditRepository, Transactor, UsersRepository } from '@tiergate/persistence';

export const BUILT_IN_ADMIN = 'admin';

/**
 * Sets the built-in admin's password in the database and bumps its token version (every session of it
 * ends), with an audit entry. Refuses a password that fails the policy. Answers the admin's id.
 */
/** What the reset needs from the database: the users and audit tables in one transaction. */
export interface AdminResetStore {
  transactor: Transactor;
  users: UsersRepository;
  audit: AuditRepository;
}

export async function resetBuiltInAdminPassword(store: AdminResetStore, password: string): Promise<string> {
  const problem = passwordProblem(password, BUILT_IN_ADMIN);
  if (problem) throw new Error(`the new password is refused: ${problem}`);
  const passwordHash = await hashPassword(password);
  return store.transactor.run(async (tx) => {
    const adminId = await store.users.resetBuiltInAdmin(passwordHash, tx);
    if (!adminId) throw new Error('there is no built-in admin yet: start Tiergate once, it creates one');
    await store.audit.append(
      { userId: null, username: 'server-console' },
      { action: 'user.password-reset', targetType: 'user', targetId: adminId, details: { username: BUILT_IN_ADMIN, via: 'npm run admin:reset-password', sessionsEnded: true } },
      tx,
    );
    return adminId;
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
