import { Inject, Injectable } from '@nestjs/common';
import { isUuid, SessionClaims, SessionUsers, TokenSigner, type Principal } from '@tiergate/access';
import { TiergateError } from '@tiergate/domain';
import { SESSION_SIGNER } from '@tiergate/platform';
import { EventTickets } from './event-tickets';

/** Who opened an event stream, and what ends it: a new token version, or the login session's expiry. */
export interface StreamHolder {
  principal: Principal;
  tokenVersion: number;
  sessionExpiresAtMs: number;
}

const refused = () => new TiergateError('UNAUTHENTICATED', 'the event ticket is invalid, expired, used or revoked');

/**
 * The authentication of `GET /api/events`: a ticket from `POST /api/events/ticket` in the query (what
 * EventSource can send), or a login token in an `Authorization: Bearer` header (other clients). Either is
 * checked against the user row exactly as the global guard checks a login token.
 */
@Injectable()
export class EventAuthService {
  constructor(
    @Inject(SESSION_SIGNER) private readonly sessions: TokenSigner,
    private readonly tickets: EventTickets,
    private readonly users: SessionUsers,
  ) {}

  /** A ticket for the caller of `POST /api/events/ticket` (the guard has checked its login token already). */
  async issue(principal: Principal, authorization: string | undefined): Promise<{ ticket: string; expiresAt: string }> {
    const claims = this.sessionClaims(authorization);
    const user = await this.users.get(principal.userId);
    if (!claims || !user || user.disabled || user.tokenVersion !== claims.ver) throw new TiergateError('UNAUTHENTICATED', 'login token is invalid, expired or revoked');
    return this.tickets.issue(user, claims.exp);
  }

  async holderOf(ticket: string | undefined, authorization: string | undefined): Promise<StreamHolder> {
    const fromTicket = ticket !== undefined ? this.tickets.redeem(ticket) : undefined;
    const claims = ticket !== undefined ? fromTicket : this.sessionClaims(authorization);
    if (!claims || !isUuid(claims.sub)) throw refused();
    const user = await this.users.get(claims.sub);
    if (!user || user.disabled || user.tokenVersion !== claims.ver) throw refused();
    const sessionExp = fromTicket ? fromTicket.sexp : claims.exp;
    return {
      principal: { userId: user.id, username: user.username, role: user.role, jurisdictionId: user.jurisdictionId },
      tokenVersion: user.tokenVersion,
      sessionExpiresAtMs: sessionExp * 1000,
    };
  }

  /** Is this holder's session still the one it opened the stream with? (the row is cached: no query per call). */
  async stillValid(holder: StreamHolder, nowMs = Date.now()): Promise<boolean> {
    if (nowMs >= holder.sessionExpiresAtMs) return false;
    const user = await this.users.get(holder.principal.userId);
    return !!user && !user.disabled && user.tokenVersion === holder.tokenVersion;
  }

  private sessionClaims(authorization: string | undefined): SessionClaims | undefined {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    const claims = token ? this.sessions.verify<SessionClaims>(token) : undefined;
    return claims && typeof claims.sub === 'string' && Number.isInteger(claims.ver) ? claims : undefined;
  }
}
