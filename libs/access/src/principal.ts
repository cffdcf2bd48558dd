import type { Role } from '@tiergate/domain';

/** Who is calling: taken from a verified login token, never from the request body. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Home node; null means the whole tree (the built-in admin). */
  jurisdictionId: string | null;
}

export interface SessionClaims {
  sub: string;
  usr: string;
  role: Role;
  jur: string | null;
  exp: number;
  iat: number;
}
