import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@tiergate/domain';
import type { Principal } from '@tiergate/access';

export const PUBLIC_ROUTE = 'tiergate:public';
export const ROLES_KEY = 'tiergate:roles';

/** The route needs no login token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** Only these roles may call the route (checked after the login token). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified caller of this request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});
