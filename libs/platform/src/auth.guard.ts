import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, TiergateError } from '@tiergate/domain';
import { deviceMayCall, isDeviceUsername, isUuid, SessionClaims, SessionUsers, TokenSigner } from '@tiergate/access';
import { PUBLIC_ROUTE, ROLES_KEY } from './auth.decorators';

export const SESSION_SIGNER = Symbol('SESSION_SIGNER');

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(), and a role listed in
 * @Roles() when present. Denies by default. The token only names the user and the token version it was
 * issued at; the caller's role and home node come from the user row (cached, see SessionUsers), and the
 * token is refused when the user is gone or disabled or its version has moved on (password change or
 * reset, disable, role or home change, logout).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SESSION_SIGNER) private readonly signer: TokenSigner,
    private readonly users: SessionUsers,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new TiergateError('UNAUTHENTICATED', 'a bearer token is required');
    const claims = this.signer.verify<SessionClaims>(token);
    const valid = claims !== undefined && typeof claims.sub === 'string' && isUuid(claims.sub) && Number.isInteger(claims.ver);
    const user = valid ? await this.users.get(claims.sub) : undefined;
    if (!user || user.disabled || user.tokenVersion !== claims!.ver) throw new TiergateError('UNAUTHENTICATED', 'login token is invalid, expired or revoked');
    req.principal = { userId: user.id, username: user.username, role: user.role, jurisdictionId: user.jurisdictionId };
    // A wall device (docs/kiosk.md) only watches: reads, and the few writes a wall makes to play.
    if (isDeviceUsername(user.username) && !deviceMayCall(req.method, req.route?.path)) throw new TiergateError('FORBIDDEN', 'a wall device only watches: this call is not open to it');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw new TiergateError('FORBIDDEN', `this call needs one of the roles: ${roles.join(', ')}`);
    return true;
  }
}
