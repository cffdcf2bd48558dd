import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { TiergateError } from '@tiergate/domain';
import { hashPassword, LoginThrottle, passwordProblem, Principal, SessionClaims, SessionUsers, TokenSigner, verifyPassword } from '@tiergate/access';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { AuditWriter, UserRecord, UsersRepository } from '@tiergate/persistence';
import { SESSION_SIGNER } from '@tiergate/platform';
import { LoginResult } from './auth.dto';
import { toUserView } from './user.view';

@Injectable()
export class AuthService {
  private readonly throttle = new LoginThrottle();
  /** Checked against for unknown usernames, so that a missing user takes as long as a wrong password. */
  private readonly dummyHash: Promise<string> = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    private readonly users: UsersRepository,
    @Inject(SESSION_SIGNER) private readonly signer: TokenSigner,
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly audit: AuditWriter,
    private readonly sessions: SessionUsers,
  ) {}

  /**
   * Checks the password (always one scrypt, whether the user exists, is disabled or not) unless the
   * username or the client address is throttled (429 with Retry-After; see LoginThrottle).
   */
  async login(username: string, password: string, ip: string | undefined): Promise<LoginResult> {
    await this.refuseWhileThrottled(username, ip);
    const user = await this.users.findByUsername(username);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    const ok = user !== undefined && matches && !user.disabled;
    await this.audit.append({ userId: user?.id ?? null, username: user?.username ?? username }, { action: ok ? 'auth.login' : 'auth.login-failed', ip, details: user?.disabled && matches ? { reason: 'disabled' } : undefined });
    if (!ok) {
      await this.throttle.failed(username, ip);
      throw new TiergateError('UNAUTHENTICATED', 'wrong username or password');
    }
    await this.throttle.succeeded(username);
    return this.issue(user!);
  }

  /** Ends every session of the caller (all its login tokens, on every device): bumps its token version. */
  async logout(principal: Principal, ip: string | undefined): Promise<void> {
    await this.users.update(principal.userId, {}, true);
    await this.sessions.changed(principal.userId);
    await this.audit.append({ userId: principal.userId, username: principal.username }, { action: 'auth.logout', targetType: 'user', targetId: principal.userId, ip });
  }

  /**
   * A new token for the caller, whose token the guard has just accepted (signature, expiry, token version,
   * user present and not disabled). Issued from the current user row, at the current token version.
   */
  async refresh(principal: Principal): Promise<LoginResult> {
    const user = await this.users.get(principal.userId);
    if (!user || user.disabled) throw new TiergateError('UNAUTHENTICATED', 'login token is invalid, expired or revoked');
    return this.issue(user);
  }

  /**
   * Changes the caller's own password after checking the current one (throttled like a login). Every
   * other session of the caller ends; the answer carries a new token for this one.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, ip: string | undefined): Promise<LoginResult> {
    await this.refuseWhileThrottled(principal.username, ip);
    const user = await this.users.get(principal.userId);
    if (!user) throw new TiergateError('UNAUTHENTICATED', 'login token is invalid, expired or revoked');
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await this.throttle.failed(principal.username, ip);
      await this.audit.append({ userId: user.id, username: user.username }, { action: 'auth.password-change-failed', targetType: 'user', targetId: user.id, ip });
      throw new TiergateError('VALIDATION_FAILED', 'currentPassword: wrong password', { fields: ['currentPassword'] });
    }
    const problem = passwordProblem(newPassword, user.username);
    if (problem) throw new TiergateError('VALIDATION_FAILED', `newPassword: ${problem}`, { fields: ['newPassword'] });
    await this.throttle.succeeded(principal.username);
    await this.users.update(user.id, { passwordHash: await hashPassword(newPassword) }, true);
    await this.sessions.changed(user.id);
    await this.audit.append({ userId: user.id, username: user.username }, { action: 'auth.password-change', targetType: 'user', targetId: user.id, ip });
    return this.issue((await this.users.get(user.id))!);
  }

  private async refuseWhileThrottled(username: string, ip: string | undefined): Promise<void> {
    const wait = await this.throttle.retryAfterSeconds(username, ip);
    if (wait > 0) {
      throw new TiergateError('TOO_MANY_REQUESTS', `too many failed logins for this username or from this address; try again in ${wait} s`, { retryAfterSeconds: wait });
    }
  }

  /** A login token for `user` at its current token version (also the wall devices' session, docs/kiosk.md). */
  issue(user: UserRecord): LoginResult {
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.config.auth.sessionTtlSeconds;
    const claims: SessionClaims = { sub: user.id, ver: user.tokenVersion, iat, exp };
    return { accessToken: this.signer.sign(claims as unknown as Record<string, unknown>), expiresAt: new Date(exp * 1000).toISOString(), user: toUserView(user) };
  }
}
