import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runnerOf, Tx } from '../transactor';
import { selectRows, writeRows } from '../sql-runner';

/** A user row (the password as its scrypt hash, never plain). */
export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: string;
  /** Home node: the user's scope is its subtree. Null only for the built-in admin (everything). */
  jurisdictionId: string | null;
  builtIn: boolean;
  disabled: boolean;
  /** Login tokens carry the version they were issued at; bumping it revokes every earlier token. */
  tokenVersion: number;
  createdAt: Date;
}

export type NewUser = Pick<UserRecord, 'username' | 'passwordHash' | 'role' | 'jurisdictionId'>;
export type UserPatch = Partial<Pick<UserRecord, 'passwordHash' | 'role' | 'jurisdictionId' | 'disabled'>>;

const COLUMNS = `id, username, "passwordHash", role, "jurisdictionId", "builtIn", disabled, "tokenVersion", "createdAt"`;
const PATCH_COLUMNS: readonly (keyof UserPatch)[] = ['passwordHash', 'role', 'jurisdictionId', 'disabled'];

/** The only SQL for the `users` table. Usernames are unique case-insensitively (an index on lower(username)). */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether any user exists. */
  async any(): Promise<boolean> {
    return (await selectRows(this.dataSource, `SELECT 1 FROM users LIMIT 1`)).length > 0;
  }

  /** Creates the built-in admin unless the name is taken (several gateways may start at once): whether this call created it. */
  async createBuiltInAdmin(passwordHash: string): Promise<boolean> {
    const rows = await selectRows(
      this.dataSource,
      `INSERT INTO users (username, "passwordHash", role, "jurisdictionId", "builtIn") VALUES ('admin', $1, 'admin', NULL, true) ON CONFLICT DO NOTHING RETURNING id`,
      [passwordHash],
    );
    return rows.length > 0;
  }

  /** Creates a user; undefined when the username is taken (compared case-insensitively). */
  async create(user: NewUser): Promise<UserRecord | undefined> {
    const [row] = await selectRows<UserRecord>(
      this.dataSource,
      `INSERT INTO users (username, "passwordHash", role, "jurisdictionId") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [user.username, user.passwordHash, user.role, user.jurisdictionId],
    );
    return row && normalised(row);
  }

  /** Users by username; only those whose home is one of `jurisdictionIds` when given. */
  async list(jurisdictionIds?: readonly string[]): Promise<UserRecord[]> {
    const rows =
      jurisdictionIds === undefined
        ? await selectRows<UserRecord>(this.dataSource, `SELECT ${COLUMNS} FROM users ORDER BY username, id`)
        : await selectRows<UserRecord>(this.dataSource, `SELECT ${COLUMNS} FROM users WHERE "jurisdictionId" = ANY($1::uuid[]) ORDER BY username, id`, [[...jurisdictionIds]]);
    return rows.map(normalised);
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const [row] = await selectRows<UserRecord>(this.dataSource, `SELECT ${COLUMNS} FROM users WHERE id = $1::uuid`, [id]);
    return row && normalised(row);
  }

  /** The user of this name, case-insensitively (the unique index is on lower(username)). */
  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const [row] = await selectRows<UserRecord>(this.dataSource, `SELECT ${COLUMNS} FROM users WHERE lower(username) = lower($1)`, [username]);
    return row && normalised(row);
  }

  /** What the auth guard checks on every request (cached by SessionUsers). */
  async sessionUser(id: string): Promise<Omit<UserRecord, 'passwordHash' | 'createdAt'> | undefined> {
    const [row] = await selectRows<UserRecord>(this.dataSource, `SELECT id, username, role, "jurisdictionId", disabled, "builtIn", "tokenVersion" FROM users WHERE id = $1`, [id]);
    return row && { ...row, tokenVersion: Number(row.tokenVersion) };
  }

  /** The built-in admin's id and token version, or undefined before it exists. */
  async builtInAdmin(): Promise<{ id: string; tokenVersion: number } | undefined> {
    const [row] = await selectRows<{ id: string; tokenVersion: number }>(this.dataSource, `SELECT id, "tokenVersion" FROM users WHERE username = 'admin' AND "builtIn" = true`);
    return row && { id: row.id, tokenVersion: Number(row.tokenVersion) };
  }

  /** Applies the patch; `endSessions` also bumps the token version (every earlier login token stops working). */
  async update(id: string, patch: UserPatch, endSessions: boolean): Promise<void> {
    const params: unknown[] = [id];
    const sets = PATCH_COLUMNS.filter((c) => patch[c] !== undefined).map((c) => {
      params.push(patch[c]);
      return `"${c}" = $${params.length}`;
    });
    if (endSessions) sets.push(`"tokenVersion" = "tokenVersion" + 1`);
    if (sets.length === 0) return;
    await writeRows(this.dataSource, `UPDATE users SET ${sets.join(', ')} WHERE id = $1::uuid`, params);
  }

  async delete(id: string, tx?: Tx): Promise<void> {
    await writeRows(runnerOf(this.dataSource, tx), `DELETE FROM users WHERE id = $1::uuid`, [id]);
  }

  /**
   * Inside `tx`: locks the built-in admin's row, sets its password, enables it and bumps its token
   * version (every session of it ends). Answers its id, or undefined when there is no built-in admin yet.
   */
  async resetBuiltInAdmin(passwordHash: string, tx: Tx): Promise<string | undefined> {
    const runner = runnerOf(this.dataSource, tx);
    const [admin] = await selectRows<{ id: string }>(runner, `SELECT id FROM users WHERE "builtIn" = true ORDER BY "createdAt" LIMIT 1 FOR UPDATE`);
    if (!admin) return undefined;
    await writeRows(runner, `UPDATE users SET "passwordHash" = $1, "tokenVersion" = "tokenVersion" + 1, disabled = false WHERE id = $2`, [passwordHash, admin.id]);
    return admin.id;
  }
}

const normalised = (r: UserRecord): UserRecord => ({ ...r, tokenVersion: Number(r.tokenVersion) });
