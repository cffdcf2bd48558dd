import 'reflect-metadata';
import type { JurisdictionTreeCache } from '@tiergate/jurisdictions';
import type { MqttBus } from '@tiergate/messaging';
import type { GrantsRepository, LiveGrant } from '@tiergate/persistence';
import { AccessTopics } from '@tiergate/contracts';
import { AccessSnapshots, NOTICE_FALLBACK_MS } from './access-snapshots';
import { StreamTokens } from './stream-token';
import { TokenSigner } from './token-signer';

const grant = (id: string, over: Partial<LiveGrant> = {}): LiveGrant => ({
  id,
  cameraId: 'cam',
  jurisdictionId: null,
  granteeUserId: 'u1',
  granteeJurisdictionId: null,
  startsAt: new Date(Date.now() - 1000),
  expiresAt: new Date(Date.now() + 60_000),
  ...over,
});
const wire = (g: LiveGrant) => ({ ...g, startsAt: g.startsAt.toISOString(), expiresAt: g.expiresAt.toISOString() });

function setup(rows: LiveGrant[]) {
  const handlers = new Map<string, (topic: string, payload: unknown) => void>();
  const published: Array<{ topic: string; payload: unknown }> = [];
  let queries = 0;
  const repo = { live: async () => (queries++, rows) } as unknown as GrantsRepository;
  const bus = {
    subscribe: async (topic: string, h: (t: string, p: unknown) => void) => (handlers.set(topic, h), async () => undefined),
    publish: async (topic: string, payload: unknown) => void published.push({ topic, payload }),
  } as unknown as MqttBus;
  let invalidated = 0;
  const trees = { loadedVersion: 'tree-1', invalidate: () => invalidated++ } as unknown as JurisdictionTreeCache;
  const tokens = new StreamTokens(new TokenSigner('unit-test-secret-key', 'stream'), 60);
  const snapshots = new AccessSnapshots(repo, bus, trees, tokens);
  const deliver = (topic: string, payload: unknown) => handlers.get(topic)!(topic, payload);
  return { snapshots, tokens, deliver, published, queries: () => queries, invalidated: () => invalidated, setRows: (r: LiveGrant[]) => (rows = r) };
}

describe('AccessSnapshots', () => {
  it('compiles the grants at start-up and answers from memory afterwards', async () => {
    const f = setup([grant('g1')]);
    await f.snapshots.onModuleInit();
    expect(f.queries()).toBe(1);
    for (let i = 0; i < 10; i++) expect((await f.snapshots.held()).inForceFor('u1', [], Date.now()).map((g) => g.id)).toEqual(['g1']);
    expect(f.queries()).toBe(1);
  });

  it('takes a newer published snapshot, ignores an older one, and reloads a tree whose version differs', async () => {
    const f = setup([]);
    await f.snapshots.onModuleInit();
    const snapshot = (version: number, grants: LiveGrant[], treeVersion = 'tree-1') => ({ version, compiledAt: new Date().toISOString(), compiledBy: 'p', treeVersion, grants: grants.map(wire) });
    f.deliver(AccessTopics.snapshot, snapshot(5, [grant('g5')]));
    expect((await f.snapshots.held()).has('g5')).toBe(true);
    f.deliver(AccessTopics.snapshot, snapshot(4, [grant('g4')]));
    expect((await f.snapshots.held()).has('g4')).toBe(false);
    expect(f.invalidated()).toBe(0);
    f.deliver(AccessTopics.snapshot, snapshot(6, [], 'tree-2'));
    expect(f.invalidated()).toBe(1);
    f.deliver(AccessTopics.snapshot, { version: 'x' });
    expect(f.snapshots.version).toBe(6);
  });

  it('applies its own changes at once, keeps a revoked grant out of an older snapshot, and tells the others', async () => {
    const f = setup([grant('g1')]);
    await f.snapshots.onModuleInit();
    const token = f.tokens.issue('u1', 'cam', 'sub', Date.now(), 'g1').token;
    expect(f.tokens.allows(token, 'cam', 'sub')).toBe(true);
    await f.snapshots.changed({ revoked: 'g1' });
    expect(f.tokens.allows(token, 'cam', 'sub')).toBe(false);
    expect(f.published).toEqual([{ topic: AccessTopics.grantsChanged, payload: expect.objectContaining({ grantId: 'g1', change: 'revoked' }) }]);
    // A snapshot compiled before the revocation arrives late: the grant stays out.
    f.deliver(AccessTopics.snapshot, { version: 9, compiledAt: new Date(Date.now() - 50).toISOString(), compiledBy: 'p', treeVersion: 'tree-1', grants: [wire(grant('g1'))] });
    expect(f.tokens.allows(token, 'cam', 'sub')).toBe(false);
    await f.snapshots.changed({ created: grant('g2') });
    expect(f.snapshots.isInForce('g2')).toBe(true);
  });

  it('ends a grant at its expiry without any message, and refuses a token naming an unknown grant', async () => {
    const f = setup([grant('g1', { expiresAt: new Date(Date.now() + 1000) })]);
    await f.snapshots.onModuleInit();
    expect(f.snapshots.isInForce('g1', Date.now())).toBe(true);
    expect(f.snapshots.isInForce('g1', Date.now() + 1001)).toBe(false);
    expect(f.tokens.allows(f.tokens.issue('u1', 'cam', 'sub', Date.now(), 'nope').token, 'cam', 'sub')).toBe(false);
  });

  it('compiles here when a change notice is not followed by a snapshot', async () => {
    const f = setup([]);
    await f.snapshots.onModuleInit();
    f.setRows([grant('g7')]);
    f.deliver(AccessTopics.grantsChanged, { grantId: 'g7', change: 'created', at: new Date().toISOString() });
    await new Promise((r) => setTimeout(r, NOTICE_FALLBACK_MS + 100));
    expect(f.queries()).toBe(2);
    expect(f.snapshots.isInForce('g7')).toBe(true);
  });
});
