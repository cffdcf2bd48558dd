import { Injectable } from '@nestjs/common';
import { Principal, Scope, scopeAllowsCamera, ScopeService, SecretBox } from '@tiergate/access';
import { isUuid, notFound, TiergateError } from '@tiergate/domain';
import type { ProbedCamera } from '@tiergate/onvif';
import { CameraFilter, CameraPatch, CameraRepository, DuplicateKeys, newCamera, Transactor, Tx } from '@tiergate/persistence';
import { CreateCameraDto, ListCamerasQuery, UpdateCameraDto } from './camera.dto';
import { CameraEvents } from './camera.events';
import { CameraPlacement } from './camera-placement';
import { conflictMessage } from './camera-conflict';
import { preRegisterOnvif, preRegisterRtsp, PreRegistered } from './camera-first-contact';
import { CameraProber } from './camera-prober.adapter';
import { parseCameraUrl } from './camera-url';
import { CameraDetailView, CameraSummaryView, toCameraDetail, toCameraSummary } from './camera.view';

/** What `create` takes beyond the DTO. */
export interface CreateOptions {
  /** Set when the camera comes from a discovery sweep. */
  endpointReference?: string;
  /** Refuse (502, nothing saved) a device that does not answer or refuses the credentials, instead of pre-registering it. */
  verify?: boolean;
}

@Injectable()
export class CamerasService {
  constructor(
    private readonly repo: CameraRepository,
    private readonly transactor: Transactor,
    private readonly scopes: ScopeService,
    private readonly placement: CameraPlacement,
    private readonly prober: CameraProber,
    private readonly secrets: SecretBox,
    private readonly events: CameraEvents,
  ) {}

  /**
   * One page of the caller's cameras and the number of matches (`X-Total-Count`). Without `limit` every
   * match is answered, as CONTRACT.md requires: the scope itself bounds it. `limit` is at most `maxPageSize`.
   */
  async list(principal: Principal, query: ListCamerasQuery, maxPageSize = Number.POSITIVE_INFINITY): Promise<{ items: CameraSummaryView[]; total: number }> {
    if (query.limit !== undefined && query.limit > maxPageSize) {
      throw new TiergateError('VALIDATION_FAILED', `limit: at most ${maxPageSize} cameras per page (limits.maxPageSize); page with offset`, { fields: ['limit'] });
    }
    const scope = await this.scopes.scopeOf(principal);
    const filter: CameraFilter = { tag: query.tag, status: query.status, q: query.q, sort: query.sort, order: query.order, limit: query.limit, offset: query.offset };
    if (query.jurisdictionId) {
      const tree = await this.scopes.tree();
      filter.jurisdictionIds = tree.has(query.jurisdictionId) ? [...tree.subtreeIds(query.jurisdictionId)] : [];
    }
    const { rows, total } = await this.repo.list(scope, filter);
    return { items: rows.map(toCameraSummary), total };
  }

  async get(principal: Principal, id: string): Promise<CameraDetailView> {
    return toCameraDetail(await this.visible(principal, id));
  }

  /**
   * Adds a camera. The device is contacted first: ONVIF cameras are probed (device information, profiles,
   * stream URIs), RTSP-only cameras get a DESCRIBE. A device that does not answer or refuses the
   * credentials is still saved (pre-registration) as `offline` / `unauthorized` with a `statusReason`, and
   * the health monitor completes its onboarding when it first answers; with `verify` it is refused instead
   * (502 CAMERA_UNREACHABLE / CAMERA_UNAUTHORIZED) and nothing is saved. An ONVIF address that answers
   * something that is not ONVIF is always refused (502 CAMERA_PROTOCOL_ERROR): most likely a wrong address.
   */
  async create(principal: Principal, dto: CreateCameraDto, options: CreateOptions = {}): Promise<CameraDetailView> {
    if (!dto.onvif && !dto.rtspUrl) {
      throw new TiergateError('VALIDATION_FAILED', 'onvif or rtspUrl: give the ONVIF address and credentials, or an rtsp:// URL', { fields: ['onvif', 'rtspUrl'] });
    }
    let rtsp: { url: string; username?: string; password?: string } | undefined;
    if (dto.rtspUrl !== undefined) {
      const parsed = parseCameraUrl(dto.rtspUrl);
      if ('error' in parsed) throw new TiergateError('UNSUPPORTED_URL', `rtspUrl ${parsed.error}`, { fields: ['rtspUrl'] });
      rtsp = parsed;
    }
    const place = await this.placement.place(principal, { jurisdictionId: dto.jurisdictionId, location: dto.location });
    const keys = {
      hostPorts: dto.onvif ? [{ host: dto.onvif.host, port: dto.onvif.port }] : [],
      endpoints: options.endpointReference ? [options.endpointReference] : [],
      rtspUrls: rtsp ? [rtsp.url] : [],
    };
    // taken before the transaction (PGlite has one connection): a duplicate outside it is not named
    const scope = await this.scopes.scopeOf(principal);
    await this.assertNoDuplicate(scope, keys);
    const username = dto.onvif?.username ?? rtsp?.username ?? null;
    const password = dto.onvif ? dto.onvif.password : rtsp?.password;
    const verify = options.verify === true;
    let probed: ProbedCamera | undefined;
    let pending: PreRegistered | undefined;
    if (dto.onvif) {
      try {
        probed = await this.prober.probe(dto.onvif);
      } catch (e) {
        pending = preRegisterOnvif(e, verify);
      }
    } else if (rtsp) {
      pending = preRegisterRtsp(await this.prober.checkRtsp(rtsp.url, username ?? undefined, password), verify);
    }
    const status = pending?.status ?? 'online';
    const now = new Date();
    const row = newCamera({
      name: dto.name,
      jurisdictionId: place.jurisdictionId,
      jurisdictionPinned: place.pinned,
      lat: dto.location?.lat ?? null,
      lon: dto.location?.lon ?? null,
      tags: [...new Set(dto.tags ?? [])],
      onvifHost: dto.onvif?.host ?? null,
      onvifPort: dto.onvif?.port ?? null,
      username,
      passwordSealed: password ? this.secrets.seal(password) : null,
      rtspUrl: rtsp?.url ?? null,
      snapshotUri: probed?.snapshotUri ?? null,
      endpointReference: options.endpointReference ?? null,
      profiles: probed?.profiles ?? [],
      device: probed?.device ?? null,
      status,
      statusReason: pending?.reason ?? null,
      lastSeenAt: pending ? null : now,
      statusCheckedAt: now,
    });
    const [id] = await this.transactor.run(async (tx) => {
      // Placed again under the tree lock, by the tree this transaction sees (a tree import meanwhile commits first or waits).
      const placed = await this.placement.placeIn(tx, principal, { jurisdictionId: dto.jurisdictionId, location: dto.location });
      row.jurisdictionId = placed.jurisdictionId;
      row.jurisdictionPinned = placed.pinned;
      await this.assertNoDuplicate(scope, keys, tx);
      return this.repo.insertMany([row], tx);
    });
    await this.events.changed(principal, 'created', [id], { name: dto.name, source: dto.onvif ? 'onvif' : 'rtsp', jurisdictionId: row.jurisdictionId, status });
    return toCameraDetail((await this.repo.findById(id))!);
  }

  async update(principal: Principal, id: string, dto: UpdateCameraDto): Promise<CameraDetailView> {
    const camera = await this.writable(principal, id);
    const patch: CameraPatch = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.tags !== undefined) patch.tags = [...new Set(dto.tags)];
    if (dto.location !== undefined) {
      patch.lat = dto.location?.lat ?? null;
      patch.lon = dto.location?.lon ?? null;
    }
    const unpin = dto.jurisdictionId === null;
    const relocate = !camera.jurisdictionPinned && dto.location !== undefined;
    if (typeof dto.jurisdictionId === 'string' || unpin || relocate) {
      const location = dto.location !== undefined ? dto.location : camera.lat !== null && camera.lon !== null ? { lat: camera.lat, lon: camera.lon } : null;
      const place = await this.placement.place(principal, { jurisdictionId: typeof dto.jurisdictionId === 'string' ? dto.jurisdictionId : undefined, location });
      // Unpinning a camera without a location keeps it where it is.
      patch.jurisdictionId = unpin && !location ? camera.jurisdictionId : place.jurisdictionId;
      patch.jurisdictionPinned = place.pinned;
    }
    if (dto.credentials) {
      patch.username = dto.credentials.username;
      patch.passwordSealed = this.secrets.seal(dto.credentials.password);
    }
    if (Object.keys(patch).length > 0) await this.repo.update(id, patch);
    const changed = Object.keys(patch).map((k) => (k === 'passwordSealed' ? 'password' : k));
    await this.events.changed(principal, 'updated', [id], { fields: changed });
    return toCameraDetail((await this.repo.findById(id))!);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const camera = await this.writable(principal, id);
    if (!(await this.repo.delete(id))) throw notFound('camera');
    await this.events.changed(principal, 'deleted', [id], { name: camera.name });
  }

  /**
   * A camera the caller may change or delete: one in the subtree it administers (its home subtree; the
   * built-in admin: all). Grants share viewing only: a camera seen only through a grant answers 403
   * (the caller can see it, so 404 would be a lie); one it cannot see at all, 404 like a missing id.
   */
  private async writable(principal: Principal, id: string) {
    const camera = await this.visible(principal, id);
    const administered = await this.scopes.administeredJurisdictionIds(principal);
    if (administered !== undefined && (camera.jurisdictionId === null || !administered.has(camera.jurisdictionId))) {
      throw new TiergateError('FORBIDDEN', 'this camera is shared with you for viewing only; only the administrators of its jurisdiction can change or delete it');
    }
    return camera;
  }

  private async visible(principal: Principal, id: string) {
    const scope = await this.scopes.scopeOf(principal);
    const camera = isUuid(id) ? await this.repo.findVisible(scope, id) : undefined;
    if (!camera) throw notFound('camera');
    return camera;
  }

  private async assertNoDuplicate(scope: Scope, keys: DuplicateKeys, tx?: Tx): Promise<void> {
    const [dup] = await this.repo.findDuplicates(keys, tx);
    if (dup) throw new TiergateError('CONFLICT', conflictMessage(dup, keys, scopeAllowsCamera(scope, dup)));
  }
}
