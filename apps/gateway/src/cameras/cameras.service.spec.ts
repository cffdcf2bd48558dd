import { randomUUID } from 'node:crypto';
import type { Principal, Scope, ScopeService, SecretBox } from '@tiergate/access';
import type { CameraFilter, CameraRecord, CameraRepository, CameraVisibility, DuplicateKeys, NewCamera, Transactor, Tx } from '@tiergate/persistence';
import type { CameraEvents } from './camera.events';
import type { CameraPlacement } from './camera-placement';
import type { CameraProber } from './camera-prober.adapter';
import { CamerasService } from './cameras.service';

const STATION = randomUUID();
const OTHER = randomUUID();
const officer: Principal = { userId: randomUUID(), username: 'officer', role: 'admin', jurisdictionId: STATION };

const sees = (v: CameraVisibility, c: { id: string; jurisdictionId: string | null }) => v.all || v.cameraIds.has(c.id) || (c.jurisdictionId !== null && v.jurisdictionIds.has(c.jurisdictionId));

/** The cameras table in memory: the part of CameraRepository's public interface the service uses. */
class FakeCameras implements Pick<CameraRepository, 'list' | 'findVisible' | 'findById' | 'findDuplicates' | 'insertMany' | 'update' | 'delete'> {
  readonly rows: CameraRecord[] = [];
  async list(v: CameraVisibility, f: CameraFilter) {
    const all = this.rows.filter((c) => sees(v, c) && (!f.tag || c.tags.includes(f.tag))).sort((a, b) => a.name.localeCompare(b.name));
    return { rows: all.slice(f.offset ?? 0, f.limit ? (f.offset ?? 0) + f.limit : undefined), total: all.length };
  }
  async findVisible(v: CameraVisibility, id: string) {
    return this.rows.find((c) => c.id === id && sees(v, c));
  }
  async findById(id: string) {
    return this.rows.find((c) => c.id === id);
  }
  async findDuplicates(keys: DuplicateKeys) {
    return this.rows.filter((c) => (c.rtspUrl !== null && keys.rtspUrls.includes(c.rtspUrl)) || keys.hostPorts.some((h) => h.host === c.onvifHost && h.port === c.onvifPort));
  }
  async insertMany(rows: readonly NewCamera[]) {
    const now = new Date();
    const added = rows.map((r) => ({ ...r, id: randomUUID(), createdAt: now, updatedAt: now }));
    this.rows.push(...added);
    return added.map((r) => r.id);
  }
  async update(id: string, patch: Partial<NewCamera>) {
    Object.assign(this.rows.find((c) => c.id === id)!, patch);
  }
  async delete(id: string) {
    const i = this.rows.findIndex((c) => c.id === id);
    if (i >= 0) this.rows.splice(i, 1);
    return i >= 0;
  }
}

function setup() {
  const cameras = new FakeCameras();
  const scope: Scope = { all: false, jurisdictionIds: new Set([STATION]), cameraIds: new Set() };
  const scopes = { scopeOf: async () => scope, administeredJurisdictionIds: async () => new Set([STATION]), tree: async () => ({ has: () => false }) };
  const placement = { place: async () => ({ jurisdictionId: STATION, pinned: false }), placeIn: async () => ({ jurisdictionId: STATION, pinned: false }) };
  const prober = { checkRtsp: async () => ({ status: 'online' as const }), probe: async () => Promise.reject(new Error('not ONVIF')) };
  const events = { changed: jest.fn(async () => undefined) };
  const transactor = { run: <T>(work: (tx: Tx) => Promise<T>) => work({} as Tx) };
  const secrets = { seal: (s: string) => `sealed:${s}` };
  const service = new CamerasService(
    cameras as unknown as CameraRepository,
    transactor as unknown as Transactor,
    scopes as unknown as ScopeService,
    placement as unknown as CameraPlacement,
    prober as unknown as CameraProber,
    secrets as unknown as SecretBox,
    events as unknown as CameraEvents,
  );
  return { service, cameras, events };
}

const elsewhere = (name: string): CameraRecord => ({
  id: randomUUID(), name, jurisdictionId: OTHER, jurisdictionPinned: false, lat: null, lon: null, tags: [], onvifHost: null, onvifPort: null, username: null,
  passwordSealed: null, rtspUrl: `rtsp://10.0.0.9/${name}`, snapshotUri: null, endpointReference: null, profiles: [], device: null, status: 'online',
  statusReason: null, lastSeenAt: null, statusCheckedAt: null, createdAt: new Date(), updatedAt: new Date(),
});

describe('CamerasService (fake repositories)', () => {
  it('creates an RTSP camera in the placed node, credentials sealed and never shown, and announces it', async () => {
    const { service, cameras, events } = setup();
    const view = await service.create(officer, { name: 'Gate', rtspUrl: 'rtsp://cam:secret@10.0.0.5/live', tags: ['gate', 'gate'] });
    expect(view).toMatchObject({ name: 'Gate', jurisdictionId: STATION, source: 'rtsp', status: 'online', rtspUrl: 'rtsp://10.0.0.5/live', hasCredentials: true, tags: ['gate'] });
    expect(cameras.rows[0]).toMatchObject({ username: 'cam', passwordSealed: 'sealed:secret', status: 'online' });
    expect(events.changed).toHaveBeenCalledWith(officer, 'created', [view.id], expect.objectContaining({ source: 'rtsp' }));
  });

  it('refuses a second camera with the same RTSP URL (409)', async () => {
    const { service } = setup();
    await service.create(officer, { name: 'A', rtspUrl: 'rtsp://10.0.0.5/live' });
    await expect(service.create(officer, { name: 'B', rtspUrl: 'rtsp://10.0.0.5/live' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lists only the cameras of the scope, with the total', async () => {
    const { service, cameras } = setup();
    cameras.rows.push(elsewhere('hidden'));
    await service.create(officer, { name: 'Mine', rtspUrl: 'rtsp://10.0.0.6/live' });
    const page = await service.list(officer, {});
    expect(page.total).toBe(1);
    expect(page.items.map((c) => c.name)).toEqual(['Mine']);
  });

  it('answers a camera outside the scope, a missing id and a malformed id alike: 404', async () => {
    const { service, cameras } = setup();
    const hidden = elsewhere('hidden');
    cameras.rows.push(hidden);
    for (const id of [hidden.id, randomUUID(), 'not-a-uuid']) {
      await expect(service.get(officer, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.remove(officer, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(cameras.rows).toHaveLength(1);
  });
});
