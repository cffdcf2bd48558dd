import { Injectable } from '@nestjs/common';
import { Principal, ScopeService } from '@tiergate/access';
import { notFound, TiergateError } from '@tiergate/domain';
import { PtzStatus } from '@tiergate/onvif';
import { AuditWriter, CameraRecord, CameraRepository } from '@tiergate/persistence';
import { PtzCommandQueue } from './ptz-command.queue';
import { PtzDevice, PtzDevices } from './ptz-devices.service';
import { accessRefusal, LeaseView, PTZ_LEASE_MS, roleRefusal } from './ptz-lease.rules';
import { PtzLeaseService } from './ptz-lease.service';
import { DEFAULT_MOVE_MS, PtzMoveDto, PtzOverviewView } from './ptz.dto';

const PRESET_TOKEN = /^[\w.:-]{1,64}$/;

const statusView = (s: PtzStatus) => (s.position ? { ...s.position, moving: s.moving } : null);

/**
 * Pan/tilt/zoom of a camera (docs/ptz.md): what it offers (GET), and steering by admins and operators in their own
 * jurisdiction under a per-camera lease. Out of scope is 404 exactly as a missing camera. Audit: one `ptz.control`
 * row when a user takes the camera (not one per move of a drag), one row per preset saved or gone to.
 */
@Injectable()
export class PtzService {
  private readonly queue = new PtzCommandQueue();

  constructor(
    private readonly cameras: CameraRepository,
    private readonly scope: ScopeService,
    private readonly devices: PtzDevices,
    private readonly leases: PtzLeaseService,
    private readonly audit: AuditWriter,
  ) {}

  async overview(principal: Principal, cameraId: string): Promise<PtzOverviewView> {
    const { camera, via } = await this.visible(principal, cameraId);
    const device = await this.devices.open(camera);
    const leaseSeconds = PTZ_LEASE_MS / 1000;
    if (!device) return { available: false, canSteer: false, status: null, presets: [], lease: null, leaseSeconds };
    const [status, presets, lease] = await Promise.all([device.client.status(device.endpoint), device.client.presets(device.endpoint), this.leases.current(cameraId, principal.userId)]);
    return { available: true, canSteer: !roleRefusal(principal.role) && !accessRefusal(via), status: statusView(status), presets, lease, leaseSeconds };
  }

  async move(principal: Principal, cameraId: string, dto: PtzMoveDto): Promise<{ lease: LeaseView }> {
    const { device, lease } = await this.steer(principal, cameraId, 'move');
    await this.queue.run(cameraId, () => device.client.continuousMove(device.endpoint, dto, dto.durationMs ?? DEFAULT_MOVE_MS), { skippable: true });
    return { lease };
  }

  async stop(principal: Principal, cameraId: string): Promise<{ lease: LeaseView }> {
    const { device, lease } = await this.steer(principal, cameraId, 'stop');
    await this.queue.run(cameraId, () => device.client.stop(device.endpoint), { skippable: false });
    return { lease };
  }

  async gotoPreset(principal: Principal, cameraId: string, token: string): Promise<{ lease: LeaseView }> {
    if (!PRESET_TOKEN.test(token)) throw notFound('preset');
    const { device, lease } = await this.steer(principal, cameraId, 'preset');
    const preset = (await device.client.presets(device.endpoint)).find((p) => p.token === token);
    if (!preset) throw notFound('preset');
    await this.queue.run(cameraId, () => device.client.gotoPreset(device.endpoint, token), { skippable: false });
    await this.audit.append(actorOf(principal), { action: 'ptz.preset.goto', targetType: 'camera', targetId: cameraId, details: { token, name: preset.name } });
    return { lease };
  }

  /** Saves the current position under `name` (over the preset of that name, if there is one). */
  async savePreset(principal: Principal, cameraId: string, name: string) {
    const { device, lease } = await this.steer(principal, cameraId, 'preset');
    const existing = (await device.client.presets(device.endpoint)).find((p) => p.name === name);
    const token = (await this.queue.run(cameraId, () => device.client.setPreset(device.endpoint, name, existing?.token), { skippable: false })) as string;
    await this.audit.append(actorOf(principal), { action: 'ptz.preset.save', targetType: 'camera', targetId: cameraId, details: { token, name, replaced: existing !== undefined } });
    return { lease, preset: { token, name }, replaced: existing !== undefined };
  }

  /** Gives the caller's lease up (the console does when its full-screen view closes). */
  async release(principal: Principal, cameraId: string): Promise<void> {
    await this.visible(principal, cameraId);
    await this.leases.release(cameraId, principal);
  }

  /** Role, scope, a PTZ camera and the lease, in that order; opens an audited period of control when it starts one. */
  private async steer(principal: Principal, cameraId: string, command: string): Promise<{ device: PtzDevice; lease: LeaseView }> {
    const byRole = roleRefusal(principal.role);
    if (byRole) throw byRole;
    const { camera, via } = await this.visible(principal, cameraId);
    const byAccess = accessRefusal(via);
    if (byAccess) throw byAccess;
    const device = await this.devices.open(camera);
    if (!device) throw new TiergateError('VALIDATION_FAILED', 'this camera has no pan/tilt/zoom (no ONVIF PTZ service)', { reason: 'no-ptz' });
    const taken = await this.leases.take(cameraId, principal);
    if (taken.opened) {
      await this.audit.append(actorOf(principal), { action: 'ptz.control', targetType: 'camera', targetId: cameraId, details: { first: command, leaseSeconds: PTZ_LEASE_MS / 1000 } });
    }
    return { device, lease: taken.lease };
  }

  /** The camera and how the caller sees it; NOT_FOUND for a camera that is missing or not the caller's. */
  private async visible(principal: Principal, cameraId: string): Promise<{ camera: CameraRecord; via: 'scope' | 'grant' }> {
    const camera = await this.cameras.findById(cameraId);
    const access = camera && (await this.scope.cameraAccess(principal, camera));
    if (!camera || !access) throw notFound('camera');
    return { camera, via: access.via };
  }
}

const actorOf = (p: Principal) => ({ userId: p.userId, username: p.username });
