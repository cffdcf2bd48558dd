import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { UsersRepository } from '@tiergate/persistence';
import type { Role } from '@tiergate/domain';
import { Topics, UserChangedMessage } from '@tiergate/contracts';
import { MqttBus } from '@tiergate/messaging';
import { ExpiringCache } from './expiring-cache';

/** The user row as the auth guard needs it on every request. */
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  jurisdictionId: string | null;
  disabled: boolean;
  builtIn: boolean;
  tokenVersion: number;
}

/**
 * Safety net for a change notice lost while the broker was away: a cached row is read again at least
 * this often. Normally a change reaches every process over the bus within milliseconds.
 */
export const SESSION_USER_MAX_AGE_MS = 30_000;
const MAX_CACHED_USERS = 10_000;

/**
 * The users behind login tokens, cached per process so that the guard checks each request against the
 * row (token version, disabled, role, home) without a query. Whoever changes a user row calls
 * `changed(id)` after the commit: this process drops its copy and every other process is told on
 * `Topics.userChanged` (qos 1) and drops its own, so a revocation takes effect everywhere within the
 * bus latency (~ms); if the notice is lost, within SESSION_USER_MAX_AGE_MS.
 */
@Injectable()
export class SessionUsers implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SessionUsers');
  private readonly cache = new ExpiringCache<string, SessionUser | undefined>(SESSION_USER_MAX_AGE_MS, MAX_CACHED_USERS);
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly users: UsersRepository,
    private readonly bus: MqttBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(Topics.userChangedAll, (topic) => {
      const id = topic.split('/')[3];
      if (id) this.cache.invalidate(id);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
  }

  /** The row of this user id (cached), or undefined when there is none. */
  get(userId: string): Promise<SessionUser | undefined> {
    return this.cache.get(userId, async () => (await this.users.sessionUser(userId)) as SessionUser | undefined);
  }

  /** Call after committing a change to a user row (or its deletion). */
  async changed(userId: string): Promise<void> {
    this.cache.invalidate(userId);
    const message: UserChangedMessage = { userId, at: new Date().toISOString() };
    await this.bus.publish(Topics.userChanged(userId), message, { qos: 1 }).catch((e) => this.logger.warn(`could not publish the user change: ${(e as Error).message}`));
  }
}
