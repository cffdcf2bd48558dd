import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClientMqtt } from '@nestjs/microservices';
import { JurisdictionTreeCache, Principal, ScopeService, scopeAllowsJurisdiction } from '@tiergate/access';
import { Commands, JurisdictionsDeleteReply, JurisdictionsImportReply, TreeActor } from '@tiergate/contracts';
import { RPC_CLIENT, request } from '@tiergate/messaging';
import { notFound } from '@tiergate/domain';
import { JurisdictionStats, JurisdictionView, statsOf, toJurisdictionView } from './jurisdiction.view';

/** Generous: a large district file is parsed, checked and applied in one transaction by the partitioner. */
const IMPORT_TIMEOUT_MS = 120_000;
const DELETE_TIMEOUT_MS = 30_000;

const actorOf = (p: Principal): TreeActor => ({ userId: p.userId, username: p.username, role: p.role, jurisdictionId: p.jurisdictionId });

/**
 * Reads the tree from the cache within the caller's scope; sends changes to the partitioner, which owns
 * the writes (one transaction, reassignment, change notice). Going through the broker keeps one writer
 * even when several gateways run; the file travels as one MQTT message, well under the broker limits
 * for district-sized files (the HTTP body is capped at MAX_IMPORT_BYTES before it gets here).
 */
@Injectable()
export class JurisdictionsService {
  constructor(
    private readonly scopes: ScopeService,
    private readonly cache: JurisdictionTreeCache,
    private readonly dataSource: DataSource,
    @Inject(RPC_CLIENT) private readonly rpc: ClientMqtt,
  ) {}

  async list(principal: Principal, withBoundary: boolean): Promise<JurisdictionView[]> {
    const scope = await this.scopes.scopeOf(principal);
    const tree = await this.cache.tree();
    return tree.all().filter((n) => scopeAllowsJurisdiction(scope, n.id)).map((n) => toJurisdictionView(n, withBoundary));
  }

  async get(principal: Principal, id: string): Promise<JurisdictionView> {
    await this.scopes.assertJurisdictionVisible(principal, id);
    const node = (await this.cache.tree()).get(id);
    if (!node) throw notFound('jurisdiction');
    return toJurisdictionView(node, true);
  }

  async stats(principal: Principal): Promise<JurisdictionStats> {
    const scope = await this.scopes.scopeOf(principal);
    const tree = await this.cache.tree();
    const cameraRows: { id: string; n: number }[] = await this.dataSource.query(
      `SELECT "jurisdictionId" AS id, count(*)::int AS n FROM cameras WHERE "jurisdictionId" IS NOT NULL GROUP BY 1`,
    );
    const userRows: { id: string; n: number }[] = await this.dataSource.query(
      `SELECT "jurisdictionId" AS id, count(*)::int AS n FROM users WHERE "jurisdictionId" IS NOT NULL GROUP BY 1`,
    );
    return statsOf(
      tree,
      (id) => scopeAllowsJurisdiction(scope, id),
      new Map(cameraRows.map((r) => [r.id, r.n])),
      new Map(userRows.map((r) => [r.id, r.n])),
    );
  }

  async import(principal: Principal, featureCollection: unknown): Promise<{ created: number; updated: number; unchanged: number; reassignedCameras: number }> {
    const reply = await request<JurisdictionsImportReply>(this.rpc, Commands.jurisdictionsImport, { actor: actorOf(principal), featureCollection }, IMPORT_TIMEOUT_MS);
    this.cache.invalidate(); // do not wait for the broadcast: the caller's next read must see its change
    return { created: reply.created, updated: reply.updated, unchanged: reply.unchanged, reassignedCameras: reply.reassignedCameras };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.scopes.assertJurisdictionVisible(principal, id);
    await request<JurisdictionsDeleteReply>(this.rpc, Commands.jurisdictionsDelete, { actor: actorOf(principal), id }, DELETE_TIMEOUT_MS);
    this.cache.invalidate();
  }
}
