import { TokenSigner } from '@tiergate/access';
import { EventTickets } from './event-tickets';

describe('EventTickets', () => {
  const user = { id: '0b7e6c1e-1f7a-4f43-9d5e-2f9f8a0c1d11', tokenVersion: 4 };
  const now = Date.UTC(2026, 11, 2, 7, 0, 0);
  const sessionExp = now / 1000 + 3600;

  it('carries the user, its token version and the session expiry; good once', () => {
    const tickets = new EventTickets(new TokenSigner('k', 'events-ticket'));
    const { ticket, expiresAt } = tickets.issue(user, sessionExp, now);
    expect(expiresAt).toBe(new Date(now + 30_000).toISOString());
    expect(tickets.redeem(ticket, now + 1000)).toMatchObject({ sub: user.id, ver: 4, sexp: sessionExp });
    expect(tickets.redeem(ticket, now + 2000)).toBeUndefined();
  });

  it('refuses an expired ticket, one of another key, a login token, and nothing', () => {
    const tickets = new EventTickets(new TokenSigner('k', 'events-ticket'));
    expect(tickets.redeem(tickets.issue(user, sessionExp, now).ticket, now + 31_000)).toBeUndefined();
    const other = new EventTickets(new TokenSigner('k', 'session'));
    expect(tickets.redeem(other.issue(user, sessionExp, now).ticket, now)).toBeUndefined();
    const login = new TokenSigner('k', 'events-ticket').sign({ sub: user.id, ver: 4, iat: now / 1000, exp: now / 1000 + 60 });
    expect(tickets.redeem(login, now)).toBeUndefined();
    expect(tickets.redeem(undefined, now)).toBeUndefined();
  });

  it('never outlives the login session it was issued under', () => {
    const tickets = new EventTickets(new TokenSigner('k', 'events-ticket'));
    const { ticket } = tickets.issue(user, now / 1000 + 5, now);
    expect(tickets.redeem(ticket, now + 6000)).toBeUndefined();
  });
});
