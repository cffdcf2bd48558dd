import { Topics } from '@tiergate/contracts';
import type { MqttBus } from '@tiergate/messaging';
import type { CameraRepository } from '@tiergate/persistence';
import type { ScopeService } from '@tiergate/access';
import type { EventAuthService, StreamHolder } from './event-auth.service';
import { EventSink, EventStreamsService } from './event-streams.service';

const flush = () => new Promise((r) => setImmediate(r));

/** A sink that keeps what was written; `queued` stands for bytes the socket has not sent yet. */
class FakeSink implements EventSink {
  text = '';
  ended = false;
  destroyed = false;
  queued = 0;
  get writableLength() {
    return this.queued;
  }
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
  end() {
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
  }
  events(name: string) {
    return [...this.text.matchAll(new RegExp(`^event: ${name}\\ndata: (.*)$`, 'gm'))].map((m) => JSON.parse(m[1]!));
  }
}

function setup() {
  const handlers = new Map<string, (topic: string, payload: unknown) => void>();
  const bus = { subscribe: async (filter: string, h: (t: string, p: unknown) => void) => (handlers.set(filter, h), async () => undefined) } as unknown as MqttBus;
  const placements = new Map([['camA', 'A'], ['camB', 'B']]);
  const cameras = {
    placementsWithTags: async () => [...placements].map(([id, jurisdictionId]) => ({ id, jurisdictionId, tags: [] })),
    placementsOf: async (ids: string[]) => ids.filter((id) => placements.has(id)).map((id) => ({ id, jurisdictionId: placements.get(id)! })),
  } as unknown as CameraRepository;
  let checks = 0;
  const scope = {
    cameraAccess: async (p: { jurisdictionId: string }, c: { jurisdictionId: string }) => (checks++, p.jurisdictionId === c.jurisdictionId ? { via: 'scope' } : undefined),
    scopeOf: async (p: { jurisdictionId: string }) => ({ all: false, jurisdictionIds: new Set([p.jurisdictionId]), cameraIds: new Set() }),
    // S is the station above post A; B is another station
    tree: async () => ({ has: (id: string) => ['S', 'A', 'B'].includes(id), isInSubtree: (root: string, id: string) => root === id || (root === 'S' && id === 'A') }),
  } as unknown as ScopeService;
  const valid = new Set<string>(['uA', 'uB']);
  const auth = { stillValid: async (h: StreamHolder) => valid.has(h.principal.userId) } as unknown as EventAuthService;
  const service = new EventStreamsService(bus, scope, auth, cameras);
  const holder = (userId: string, jurisdictionId: string): StreamHolder => ({ principal: { userId, username: userId, role: 'viewer', jurisdictionId }, tokenVersion: 1, sessionExpiresAtMs: Date.now() + 3600_000 });
  const publish = (topic: string, payload: unknown) => {
    for (const [filter, h] of handlers) if (filter === topic || new RegExp(`^${filter.replace(/\+/g, '[^/]+')}$`).test(topic)) h(topic, payload);
  };
  return { service, holder, publish, valid, checks: () => checks };
}

describe('EventStreamsService', () => {
  it("writes each camera's events only to the streams of users who may see it, in bus order, one check per user", async () => {
    const { service, holder, publish, checks } = setup();
    await service.onModuleInit();
    const a1 = new FakeSink(), a2 = new FakeSink(), b = new FakeSink();
    service.open(holder('uA', 'A'), a1);
    service.open(holder('uA', 'A'), a2);
    service.open(holder('uB', 'B'), b);
    await flush();
    const before = checks();
    for (let i = 0; i < 5; i++) publish(Topics.cameraStatus(i % 2 ? 'camB' : 'camA'), { status: 'offline', at: `t${i}` });
    await flush();
    expect(a1.events('camera-status').map((e) => e.at)).toEqual(['t0', 't2', 't4']);
    expect(a2.events('camera-status').map((e) => e.at)).toEqual(['t0', 't2', 't4']);
    expect(b.events('camera-status').map((e) => e.at)).toEqual(['t1', 't3']);
    expect(checks() - before).toBe(5 * 2); // two users, not three streams
    await service.onModuleDestroy();
  });

  it('sends the last status of each visible camera on connect, then ready', async () => {
    const { service, holder, publish } = setup();
    await service.onModuleInit();
    publish(Topics.cameraStatus('camA'), { status: 'offline', at: 't1' });
    publish(Topics.cameraStatus('camA'), { status: 'online', at: 't2' });
    publish(Topics.cameraStatus('camB'), { status: 'offline', at: 't3' });
    const a = new FakeSink();
    service.open(holder('uA', 'A'), a);
    await flush();
    expect(a.text.startsWith('retry: 3000\n\n')).toBe(true);
    expect(a.events('camera-status')).toEqual([{ cameraId: 'camA', status: 'online', at: 't2' }]);
    expect(a.text.indexOf('event: ready')).toBeGreaterThan(a.text.indexOf('event: camera-status'));
    await service.onModuleDestroy();
  });

  it("ends a user's streams when its session is over, and only its own", async () => {
    const { service, holder, publish, valid } = setup();
    await service.onModuleInit();
    const a = new FakeSink(), b = new FakeSink();
    service.open(holder('uA', 'A'), a);
    service.open(holder('uB', 'B'), b);
    valid.delete('uA');
    publish(Topics.userChanged('uA'), { userId: 'uA', at: 't' });
    await flush();
    await flush();
    expect(a.ended).toBe(true);
    expect(a.events('end')).toEqual([{ reason: 'session-ended' }]);
    expect(b.ended).toBe(false);
    expect(service.openCount).toBe(1);
    await service.onModuleDestroy();
    expect(b.events('end')).toEqual([{ reason: 'shutdown' }]);
    expect(service.openCount).toBe(0);
  });

  it("sends a node's alert level to users who see the node or work below it, not to another station's", async () => {
    const { service, holder, publish } = setup();
    await service.onModuleInit();
    const station = new FakeSink(), post = new FakeSink(), other = new FakeSink();
    service.open(holder('uS', 'S'), station);
    service.open(holder('uA', 'A'), post);
    service.open(holder('uB', 'B'), other);
    await flush();
    const message = { jurisdictionId: 'S', level: 3, reason: 'robbery nearby', expiresAt: '2030-01-01T00:00:00.000Z', setBy: 'station-admin', at: 't1' };
    publish(Topics.alertLevel('S'), message);
    publish(Topics.alertLevel('A'), { jurisdictionId: 'A', level: 2, reason: 'post only', setBy: 'x', at: 't2' });
    publish(Topics.alertLevel('S'), null); // a cleared retained message: nothing to send
    await flush();
    expect(station.events('alert-level')).toEqual([message]);
    expect(post.events('alert-level').map((e) => e.at)).toEqual(['t1', 't2']);
    expect(other.events('alert-level')).toEqual([]);
    await service.onModuleDestroy();
  });

  it('cuts off a client too far behind instead of queueing without bound', async () => {
    const { service, holder, publish } = setup();
    await service.onModuleInit();
    const slow = new FakeSink();
    service.open(holder('uA', 'A'), slow);
    await flush();
    slow.queued = 10 * 1024 * 1024;
    publish(Topics.cameraStatus('camA'), { status: 'offline', at: 't' });
    await flush();
    expect(slow.destroyed).toBe(true);
    expect(slow.events('camera-status')).toEqual([]);
    expect(service.openCount).toBe(0);
    await service.onModuleDestroy();
  });
});
