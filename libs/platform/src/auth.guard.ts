import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, TiergateError } from '@tiergate/domain';
import { SessionClaims, TokenSigner } from '@tiergate/access';
import { PUBLIC_ROUTE, ROLES_KEY } from './auth.decorators';

export const SESSION_SIGNER = Symbol('SESSION_SIGNER');

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(), and a role listed in
 * @Roles() when present. Denies by default.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SESSION_SIGNER) private readonly signer: TokenSigner,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const claims = token ? this.signer.verify<SessionClaims>(token) : undefined;
    if (!claims) throw new TiergateError('UNAUTHENTICATED', token ? 'login token is invalid or expired' : 'a bearer token is required');
    req.principal = { userId: claims.sub, username: claims.usr, role: claims.role, jurisdictionId: claims.jur };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(claims.role)) throw new TiergateError('FORBIDDEN', `this call needs one of the roles: ${roles.join(', ')}`);
    return true;
  }
}
