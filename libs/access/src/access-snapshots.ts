import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AccessTopics, GrantsChangedMessage } from '@tiergate/contracts';
import { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import { MqttBus } from '@tiergate/messaging';
import { GrantsRepository, LiveGrant } from '@tiergate/persistence';
import { CompiledGrants, HeldGrant, heldGrantOf, isAccessSnapshot } from './access-snapshot';
import { StreamTokens } from './stream-token';

/** A snapshot older than this (no partitioner has published for a while) is compiled here instead. */
export const SNAPSHOT_STALE_MS = 15_000;
/** After a grant-change notice, wait this long for the partitioner's snapshot before compiling here. */
export const NOTICE_FALLBACK_MS = 500;
/** Grants created here are kept over snapshots compiled before them for this long (read-your-writes). */
const CREATED_OVERLAY_MS = 10_000;
/** Grants revoked here are kept out of every snapshot for this long (one compiled before the revocation may still arrive). */
const REVOKED_OVERLAY_MS = 120_000;

const held = (g: LiveGrant): HeldGrant => ({ ...g, startsAt: new Date(g.startsAt).getTime(), expiresAt: new Date(g.expiresAt).getTime() });

/**
 * The grants in force, in memory, for every access check of this process (scopes, lists, the stream
 * token of every playlist and segment): no grants query per request.
 *
 * Where they come from:
 * - the acting partitioner's snapshot on `AccessTopics.snapshot` (retained, signed, a growing version):
 *   it publishes one after every grant change it hears of and every few seconds;
 * - compiled here (one query) at start-up, when no snapshot came for SNAPSHOT_STALE_MS (no partitioner
 *   acting), and when a change notice is not followed by a snapshot within NOTICE_FALLBACK_MS;
 * - a change made in this process applies here at once (`changed`), before the notice goes out.
 * So a grant revoked anywhere stops working everywhere within the bus latency (milliseconds), and at
 * worst within NOTICE_FALLBACK_MS plus one query. Expiry needs no message: every check compares
 * `expiresAt` with the clock.
 */
@Injectable()
export class AccessSnapshots implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AccessSnapshots');
  private current = new CompiledGrants([]);
  private publishedVersion = 0;
  private publishedAt = 0;
  private compiledHereAt = 0;
  private compiling: Promise<void> | undefined;
  private readonly createdHere = new Map<string, { grant: HeldGrant; at: number }>();
  private readonly revokedHere = new Map<string, number>();
  private fallback: NodeJS.Timeout | undefined;
  private readonly unsubscribe: Array<() => Promise<void>> = [];

  constructor(
    private readonly grants: GrantsRepository,
    private readonly bus: MqttBus,
    private readonly trees: JurisdictionTreeCache,
    private readonly tokens: StreamTokens,
  ) {}

  async onModuleInit(): Promise<void> {
    this.tokens.bindGrantCheck((id, now) => this.isInForce(id, now));
    this.unsubscribe.push(await this.bus.subscribe(AccessTopics.snapshot, (_t, message) => this.receive(message)));
    this.unsubscribe.push(await this.bus.subscribe(AccessTopics.grantsChanged, () => this.noticed()));
    await this.compileHere().catch((e) => this.logger.warn(`could not read the grants at start-up: ${(e as Error).message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.fallback);
    for (const u of this.unsubscribe.splice(0)) await u().catch(() => undefined);
  }

  /** The grants held now; compiled here first when the held ones are stale. */
  async held(now = Date.now()): Promise<CompiledGrants> {
    if (this.isStale(now)) await this.compileHere();
    return this.current;
  }

  /** Sync, for the video path: is this grant in force? A stale snapshot is refreshed in the background. */
  isInForce(grantId: string, now = Date.now()): boolean {
    if (this.isStale(now)) void this.compileHere().catch(() => undefined);
    return this.current.isInForce(grantId, now);
  }

  /** The version of the last published snapshot taken (0: none yet). */
  get version(): number {
    return this.publishedVersion;
  }

  /** After this process committed a grant change: apply it here at once, then tell the others. */
  async changed(change: { created: LiveGrant } | { revoked: string }): Promise<void> {
    const now = Date.now();
    let grantId: string;
    if ('created' in change) {
      const grant = held(change.created);
      grantId = grant.id;
      this.createdHere.set(grant.id, { grant, at: now });
      this.current = new CompiledGrants([...[...this.current.all()].filter((g) => g.id !== grant.id), grant]);
    } else {
      grantId = change.revoked;
      this.revokedHere.set(grantId, now);
      this.current = new CompiledGrants([...this.current.all()].filter((g) => g.id !== grantId));
    }
    const message: GrantsChangedMessage = { grantId, change: 'created' in change ? 'created' : 'revoked', at: new Date(now).toISOString() };
    await this.bus.publish(AccessTopics.grantsChanged, message, { qos: 1 }).catch((e) => this.logger.warn(`could not publish the grant change: ${(e as Error).message}`));
  }

  private isStale(now: number): boolean {
    return now - Math.max(this.publishedAt, this.compiledHereAt) > SNAPSHOT_STALE_MS;
  }

  private receive(message: unknown): void {
    if (!isAccessSnapshot(message)) return void this.logger.warn('ignored a malformed access snapshot');
    if (message.version <= this.publishedVersion) return; // an older one (a replay, or a partitioner that lost its lease)
    this.publishedVersion = message.version;
    this.publishedAt = Date.now();
    clearTimeout(this.fallback);
    this.fallback = undefined;
    this.current = this.withOverlays(message.grants.map(heldGrantOf), Date.parse(message.compiledAt));
    const loaded = this.trees.loadedVersion;
    if (loaded !== undefined && loaded !== message.treeVersion) this.trees.invalidate(); // a tree change notice this process missed
  }

  /** Another process changed a grant: the partitioner's snapshot should follow; if not, compile here. */
  private noticed(): void {
    if (this.fallback) return;
    const noticedAt = Date.now();
    this.fallback = setTimeout(() => {
      this.fallback = undefined;
      if (this.publishedAt < noticedAt) void this.compileHere().catch((e) => this.logger.warn(`could not read the grants: ${(e as Error).message}`));
    }, NOTICE_FALLBACK_MS);
    this.fallback.unref();
  }

  private compileHere(): Promise<void> {
    return (this.compiling ??= (async () => {
      const startedAt = Date.now();
      try {
        const rows = await this.grants.live();
        // A published snapshot taken meanwhile is at least as new as these rows.
        if (this.publishedAt >= startedAt) return;
        this.current = this.withOverlays(rows.map(held), startedAt);
        this.compiledHereAt = Date.now();
      } finally {
        this.compiling = undefined;
      }
    })());
  }

  /** Grants compiled at `compiledAt`, with this process's own later changes laid over them. */
  private withOverlays(grants: HeldGrant[], compiledAt: number): CompiledGrants {
    const now = Date.now();
    for (const [id, at] of this.revokedHere) if (now - at > REVOKED_OVERLAY_MS) this.revokedHere.delete(id);
    for (const [id, c] of this.createdHere) if (now - c.at > CREATED_OVERLAY_MS) this.createdHere.delete(id);
    const kept = grants.filter((g) => !this.revokedHere.has(g.id));
    const ids = new Set(kept.map((g) => g.id));
    for (const c of this.createdHere.values()) if (!ids.has(c.grant.id) && !this.revokedHere.has(c.grant.id) && c.at >= compiledAt - 1000) kept.push(c.grant);
    return new CompiledGrants(kept);
  }
}
