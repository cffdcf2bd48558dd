import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { isUuid, notFound, TiergateError } from '@tiergate/domain';
import { hashPassword, isDeviceUsername, passwordProblem, Principal, ScopeService, SessionUsers } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { AuditRepository, GrantsRepository, Transactor, UserPatch, UserRecord, UsersRepository } from '@tiergate/persistence';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { toUserView } from './user.view';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly grants: GrantsRepository,
    private readonly transactor: Transactor,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly audit: AuditRepository,
    private readonly scopes: ScopeService,
    private readonly sessions: SessionUsers,
  ) {}

  /**
   * On an empty user table, creates the built-in `admin` (scope: everything). Its password comes from
   * TIERGATE_ADMIN_PASSWORD, which must pass the password policy (else start-up stops saying why), or is
   * generated and printed once.
   */
  async ensureBuiltInAdmin(): Promise<{ created: boolean; generatedPassword?: string }> {
    if (await this.users.any()) return { created: false };
    const configured = this.config.auth.adminPassword;
    const problem = configured ? passwordProblem(configured, 'admin') : undefined;
    // CONTRACT.md makes TIERGATE_ADMIN_PASSWORD the admin's password, whatever the operator chose: a weak one
    // is taken with a warning (refusing it would stop Tiergate from starting), and `npm run admin:reset-password`
    // or POST /api/auth/password (which enforce the policy) replace it.
    if (problem) new Logger('Users').warn(`TIERGATE_ADMIN_PASSWORD is weak: ${problem}; change it (npm run admin:reset-password) before production use`);
    const generated = configured ? undefined : randomBytes(12).toString('base64url');
    const password = configured || generated!;
    // Several gateways may start at once on an empty database: the first insert wins, the others find the
    // username taken (ON CONFLICT DO NOTHING) and go on without printing a password that is not the admin's.
    if (!(await this.users.createBuiltInAdmin(await hashPassword(password)))) return { created: false };
    return { created: true, generatedPassword: generated };
  }

  async create(actor: Principal, dto: CreateUserDto) {
    const jurisdictionId = dto.jurisdictionId ?? null;
    await this.assertHomeAllowed(actor, jurisdictionId);
    this.assertPassword(dto.password, dto.username, 'password');
    const passwordHash = await hashPassword(dto.password);
    // The unique index is on lower(username): `Admin` is taken when `admin` exists.
    const user = await this.users.create({ username: dto.username, passwordHash, role: dto.role, jurisdictionId });
    if (!user) throw new TiergateError('CONFLICT', `username ${dto.username} is taken (usernames are compared case-insensitively)`);
    await this.audit.append({ userId: actor.userId, username: actor.username }, { action: 'user.create', targetType: 'user', targetId: user.id, details: { username: user.username, role: user.role, jurisdictionId } });
    return toUserView(user);
  }

  /** Every user for the built-in admin; the users whose home node is in its subtree for another admin. */
  async list(actor: Principal) {
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    // wall devices' accounts are managed at /api/wall-devices (docs/kiosk.md), not here
    return (await this.users.list(administered === undefined ? undefined : [...administered])).filter((u) => !isDeviceUsername(u.username)).map(toUserView);
  }

  /**
   * Resets the password, changes role or home, disables or enables a user of the actor's subtree. Every
   * change but enabling bumps the user's token version: its sessions end at once, in every process.
   */
  async update(actor: Principal, id: string, dto: UpdateUserDto) {
    const user = await this.administered(actor, id);
    const self = user.id === actor.userId;
    const patch: UserPatch = {};
    let revoke = false;
    if (dto.password !== undefined) {
      if (self) throw new TiergateError('VALIDATION_FAILED', 'password: change your own password with POST /api/auth/password (it needs the current one)', { fields: ['password'] });
      this.assertPassword(dto.password, user.username, 'password');
      patch.passwordHash = await hashPassword(dto.password);
      revoke = true;
    }
    if (dto.role !== undefined && dto.role !== user.role) {
      this.assertNotProtected(user, self, 'role', 'change the role of');
      patch.role = dto.role;
      revoke = true;
    }
    if (dto.jurisdictionId !== undefined && dto.jurisdictionId !== user.jurisdictionId) {
      this.assertNotProtected(user, self, 'jurisdictionId', 'move');
      await this.assertHomeAllowed(actor, dto.jurisdictionId);
      patch.jurisdictionId = dto.jurisdictionId;
      revoke = true;
    }
    if (dto.disabled !== undefined && dto.disabled !== user.disabled) {
      if (dto.disabled) this.assertNotProtected(user, self, 'disabled', 'disable');
      patch.disabled = dto.disabled;
      revoke ||= dto.disabled;
    }
    if (Object.keys(patch).length > 0) {
      await this.users.update(user.id, patch, revoke);
      await this.sessions.changed(user.id);
      const fields = Object.keys(patch).map((k) => (k === 'passwordHash' ? 'password' : k));
      const details: Record<string, unknown> = { username: user.username, fields, sessionsEnded: revoke };
      for (const k of ['role', 'jurisdictionId', 'disabled'] as const) if (k in patch) details[k] = patch[k];
      await this.audit.append({ userId: actor.userId, username: actor.username }, { action: 'user.update', targetType: 'user', targetId: user.id, details });
    }
    return toUserView((await this.users.get(user.id))!);
  }

  /** Deletes a user of the actor's subtree (never the built-in admin, never oneself); grants to it are revoked. */
  async remove(actor: Principal, id: string): Promise<void> {
    const user = await this.administered(actor, id);
    this.assertNotProtected(user, user.id === actor.userId, 'id', 'delete');
    await this.transactor.run(async (tx) => {
      await this.grants.revokeAllTo(user.id, tx);
      await this.users.delete(user.id, tx);
    });
    await this.sessions.changed(user.id);
    await this.audit.append({ userId: actor.userId, username: actor.username }, { action: 'user.delete', targetType: 'user', targetId: user.id, details: { username: user.username, role: user.role } });
  }

  /**
   * The user when the actor administers it: its home node is in the actor's home subtree (the built-in
   * admin administers everyone). Anyone else, and the built-in admin for everyone but itself, is 404
   * exactly like a missing id.
   */
  private async administered(actor: Principal, id: string): Promise<UserRecord> {
    const user = isUuid(id) ? await this.users.get(id) : undefined;
    // a wall device's account is not a person's: no password, role or home to change here (docs/kiosk.md)
    if (!user || isDeviceUsername(user.username)) throw notFound('user');
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    if (administered === undefined) return user;
    if (user.jurisdictionId === null || !administered.has(user.jurisdictionId)) throw notFound('user');
    return user;
  }

  /** An admin with a home node places users only inside its subtree; a node outside it answers like a missing one. */
  private async assertHomeAllowed(actor: Principal, jurisdictionId: string | null): Promise<void> {
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const outside = administered !== undefined && jurisdictionId !== null && !administered.has(jurisdictionId);
    if (jurisdictionId && (outside || !(await this.scopes.tree()).has(jurisdictionId))) {
      throw new TiergateError('VALIDATION_FAILED', 'jurisdictionId: no such jurisdiction', { fields: ['jurisdictionId'] });
    }
    if (!jurisdictionId && actor.jurisdictionId) {
      throw new TiergateError('VALIDATION_FAILED', 'jurisdictionId: required (only the built-in admin has no home jurisdiction)', { fields: ['jurisdictionId'] });
    }
  }

  private assertPassword(password: string, username: string, field: string): void {
    const problem = passwordProblem(password, username);
    if (problem) throw new TiergateError('VALIDATION_FAILED', `${field}: ${problem}`, { fields: [field] });
  }

  /** The built-in admin is never disabled, demoted, moved or deleted; nobody does that to its own account. */
  private assertNotProtected(user: UserRecord, self: boolean, field: string, verb: string): void {
    if (user.builtIn) throw new TiergateError('VALIDATION_FAILED', `${field}: the built-in admin cannot be ${verb === 'move' ? 'moved' : verb === 'change the role of' ? 'given another role' : `${verb}d`}`, { fields: [field] });
    if (self) throw new TiergateError('VALIDATION_FAILED', `${field}: you cannot ${verb} your own account; ask another administrator`, { fields: [field] });
  }
}
