import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginLimits {
  /** Failed logins of one username within `usernameWindowSeconds` before it is locked. */
  usernameFailures: number;
  usernameWindowSeconds: number;
  /** The first lockout of a username; each further one within a day doubles it, up to `maxLockSeconds`. */
  firstLockSeconds: number;
  maxLockSeconds: number;
  /** Failed logins from one client address per `addressWindowSeconds` (any usernames) before it is refused. */
  addressFailures: number;
  addressWindowSeconds: number;
}

/** 5 failures per username in 15 min lock it for 1, 2, 4 … 60 min; 20 failures per address per minute. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  usernameFailures: 5,
  usernameWindowSeconds: 15 * 60,
  firstLockSeconds: 60,
  maxLockSeconds: 60 * 60,
  addressFailures: 20,
  addressWindowSeconds: 60,
};

/** Pure: the lock after the `n`-th lockout of a username (1-based): first, doubled each time, capped. */
export function lockSeconds(n: number, limits: LoginLimits = DEFAULT_LOGIN_LIMITS): number {
  return Math.min(limits.maxLockSeconds, limits.firstLockSeconds * 2 ** Math.max(0, Math.min(n - 1, 30)));
}

/**
 * Brute-force protection for `POST /api/auth/login` (rate-limiter-flexible's counters, in this process):
 * - per username (case-insensitive, existing or not, so a lock says nothing about whether the user
 *   exists): after `usernameFailures` failures in the window the username is locked, even for the right
 *   password, for an exponentially growing time; a successful login clears its counters;
 * - per client address: after `addressFailures` failures in a minute the address is refused for the rest
 *   of the minute (password spraying across usernames). Only failures count: a station whose officers
 *   all log in through one NAT address at shift change is never throttled for succeeding.
 * Counters live in each gateway process: with N gateways behind a balancer an attacker gets at most N
 * times the budget, still a few dozen guesses per quarter hour per account.
 */
export class LoginThrottle {
  private readonly usernameFailures: RateLimiterMemory;
  private readonly usernameLockouts: RateLimiterMemory;
  private readonly addressFailures: RateLimiterMemory;

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.usernameFailures = new RateLimiterMemory({ keyPrefix: 'login-user', points: limits.usernameFailures, duration: limits.usernameWindowSeconds });
    this.usernameLockouts = new RateLimiterMemory({ keyPrefix: 'login-lock', points: 1_000_000, duration: 24 * 3600 });
    this.addressFailures = new RateLimiterMemory({ keyPrefix: 'login-addr', points: limits.addressFailures, duration: limits.addressWindowSeconds });
  }

  /** Seconds to wait before this attempt may be checked at all, or 0. */
  async retryAfterSeconds(username: string, address: string | undefined): Promise<number> {
    const [user, addr] = await Promise.all([this.usernameFailures.get(userKey(username)), address ? this.addressFailures.get(address) : null]);
    const waits = [blockedMs(user, this.limits.usernameFailures), blockedMs(addr, this.limits.addressFailures)];
    const ms = Math.max(...waits);
    return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
  }

  /** Counts a failed attempt; locks the username when it reaches the limit. */
  async failed(username: string, address: string | undefined): Promise<void> {
    if (address) await this.addressFailures.consume(address).catch(() => undefined);
    const key = userKey(username);
    const res = await this.usernameFailures.consume(key).catch((r: unknown) => (r instanceof RateLimiterRes ? r : undefined));
    if (!res || res.consumedPoints < this.limits.usernameFailures) return;
    const lockouts = await this.usernameLockouts.consume(key);
    await this.usernameFailures.block(key, lockSeconds(lockouts.consumedPoints, this.limits));
  }

  /** A successful login forgets the username's failures and lockouts. */
  async succeeded(username: string): Promise<void> {
    const key = userKey(username);
    await Promise.all([this.usernameFailures.delete(key), this.usernameLockouts.delete(key)]);
  }
}

const userKey = (username: string): string => username.toLowerCase();

function blockedMs(res: RateLimiterRes | null, limit: number): number {
  return res && res.consumedPoints >= limit ? res.msBeforeNext : 0;
}
