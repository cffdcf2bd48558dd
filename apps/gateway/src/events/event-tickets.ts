import { randomUUID } from 'node:crypto';
import type { TokenSigner } from '@tiergate/access';

/** How long a ticket may wait before it opens a stream: long enough for a page to call EventSource, short in a log. */
export const EVENT_TICKET_TTL_SECONDS = 30;

/** What an event-stream ticket says: the user, the token version and the login token's expiry it was issued under. */
export interface EventTicketClaims {
  sub: string;
  /** The user's token version when the ticket was issued: a logout or disable after it refuses the ticket. */
  ver: number;
  /** The login token's `exp` (s): the stream ends then, as the session does. */
  sexp: number;
  jti: string;
  iat: number;
  exp: number;
}

/**
 * Tickets for `GET /api/events?ticket=…` (EventSource cannot send an Authorization header): issued by
 * `POST /api/events/ticket` to a caller with a valid login token, signed with their own key (a ticket is never a
 * login token, nor the reverse), good for EVENT_TICKET_TTL_SECONDS and once per gateway process (its id is
 * remembered until it expires). So the long-lived login token never goes into a URL, a proxy log or the
 * browser history. Framework-free: the signer and the clock are given.
 */
export class EventTickets {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly signer: TokenSigner,
    private readonly ttlSeconds = EVENT_TICKET_TTL_SECONDS,
  ) {}

  issue(user: { id: string; tokenVersion: number }, sessionExp: number, nowMs = Date.now()): { ticket: string; expiresAt: string } {
    const iat = Math.floor(nowMs / 1000);
    const exp = Math.min(iat + this.ttlSeconds, sessionExp);
    const claims: EventTicketClaims = { sub: user.id, ver: user.tokenVersion, sexp: sessionExp, jti: randomUUID(), iat, exp };
    return { ticket: this.signer.sign(claims as unknown as Record<string, unknown>), expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The claims of a valid, unexpired ticket not used before in this process (and marks it used); else undefined. */
  redeem(ticket: string | undefined, nowMs = Date.now()): EventTicketClaims | undefined {
    if (!ticket) return undefined;
    const claims = this.signer.verify<EventTicketClaims>(ticket, nowMs);
    if (!claims || typeof claims.sub !== 'string' || !Number.isInteger(claims.ver) || typeof claims.sexp !== 'number' || typeof claims.jti !== 'string') return undefined;
    this.sweep(nowMs);
    if (this.used.has(claims.jti)) return undefined;
    this.used.set(claims.jti, claims.exp * 1000);
    return claims;
  }

  private sweep(nowMs: number): void {
    for (const [jti, until] of this.used) if (until <= nowMs) this.used.delete(jti);
  }
}
