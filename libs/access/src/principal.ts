import type { Role } from '@tiergate/domain';

/**
 * Who is calling: the user row named by a verified login token (role and home node come from the row,
 * cached, never from the token or the request body).
 */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Home node; null means the whole tree (the built-in admin). */
  jurisdictionId: string | null;
}

/**
 * What a login token carries: the user id and the user's token version when it was issued. Bumping the
 * version (password change, disable, role or home change, logout) revokes every token issued before.
 */
export interface SessionClaims {
  sub: string;
  ver: number;
  exp: number;
  iat: number;
}
