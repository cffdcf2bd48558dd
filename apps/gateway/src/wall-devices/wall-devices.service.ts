import { Injectable } from '@nestjs/common';
import { DEVICE_PASSWORD_HASH, deviceUsername, hashDeviceSecret, newDeviceSecret, Principal, ScopeService, SessionUsers } from '@tiergate/access';
import { isUuid, notFound, TiergateError } from '@tiergate/domain';
import { AuditWriter, CameraRepository, UsersRepository, WallDeviceRecord, WallDevicesRepository, WallsRepository } from '@tiergate/persistence';
import { wallVisible } from '../walls/walls.service';
import { EnrolledWallDevice, EnrolWallDeviceDto, WallDeviceView } from './wall-devices.dto';
import { enrolmentPath, toWallDeviceView } from './wall-device.view';

/** Shortest tour dwell a device may have (a page must show video before it turns). */
const MIN_TOUR_SECONDS = 5;

/**
 * Enrolment and revocation of wall devices (docs/kiosk.md) by the administrators of their jurisdiction. A device is
 * an account of its own kind (`device:<name>`, viewer, home = its jurisdiction) plus its `wall_devices` row, so scope,
 * audit and revocation are the users' own: revoking disables the account and bumps its token version, and every
 * process refuses its tokens within the bus latency (SessionUsers).
 */
@Injectable()
export class WallDevicesService {
  constructor(
    private readonly devices: WallDevicesRepository,
    private readonly users: UsersRepository,
    private readonly walls: WallsRepository,
    private readonly cameras: CameraRepository,
    private readonly scopes: ScopeService,
    private readonly sessions: SessionUsers,
    private readonly audit: AuditWriter,
  ) {}

  async enrol(actor: Principal, dto: EnrolWallDeviceDto, ip: string | undefined): Promise<EnrolledWallDevice> {
    const name = dto.name.trim();
    if (!name) throw new TiergateError('VALIDATION_FAILED', 'name: required', { fields: ['name'] });
    const tourSeconds = dto.tourSeconds ?? 0;
    if (tourSeconds > 0 && tourSeconds < MIN_TOUR_SECONDS) throw new TiergateError('VALIDATION_FAILED', `tourSeconds: 0 (no tour) or at least ${MIN_TOUR_SECONDS}`, { fields: ['tourSeconds'] });
    await this.assertJurisdiction(actor, dto.jurisdictionId);
    const wallId = dto.wallId ?? null;
    if (wallId) await this.assertWall(actor, wallId);
    const user = await this.users.create({ username: deviceUsername(name), passwordHash: DEVICE_PASSWORD_HASH, role: 'viewer', jurisdictionId: dto.jurisdictionId });
    if (!user) throw new TiergateError('CONFLICT', `name: a wall device named ${name} exists (names are compared case-insensitively)`, { fields: ['name'] });
    const secret = newDeviceSecret();
    let device: WallDeviceRecord;
    try {
      device = await this.devices.create({ name, userId: user.id, jurisdictionId: dto.jurisdictionId, wallId, monitors: dto.monitors ?? 1, layout: dto.layout ?? 4, tourSeconds, secretHash: hashDeviceSecret(secret), createdBy: actor.userId });
    } catch (e) {
      await this.users.delete(user.id).catch(() => undefined);
      throw e;
    }
    await this.audit.append({ userId: actor.userId, username: actor.username }, { action: 'wall-device.enrol', targetType: 'wall-device', targetId: device.id, ip, details: { name, jurisdictionId: device.jurisdictionId, wallId, monitors: device.monitors, userId: user.id } });
    return { device: toWallDeviceView(device), secret, enrolmentUrl: enrolmentPath(device.id, secret) };
  }

  /** The devices of the actor's subtree (every device for the built-in admin), revoked ones included. */
  async list(actor: Principal): Promise<WallDeviceView[]> {
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    return (await this.devices.list(administered === undefined ? undefined : [...administered])).map(toWallDeviceView);
  }

  /** Revokes the device: its account is disabled and its tokens refused at once; a second revoke changes nothing. */
  async revoke(actor: Principal, id: string, ip: string | undefined): Promise<void> {
    const device = await this.administered(actor, id);
    if (device.revokedAt) return;
    await this.devices.revoke(device.id, new Date());
    await this.users.update(device.userId, { disabled: true }, true);
    await this.sessions.changed(device.userId);
    await this.audit.append({ userId: actor.userId, username: actor.username }, { action: 'wall-device.revoke', targetType: 'wall-device', targetId: device.id, ip, details: { name: device.name, jurisdictionId: device.jurisdictionId, userId: device.userId } });
  }

  /** The device when its jurisdiction is in the actor's subtree; anything else is 404 like a missing id. */
  private async administered(actor: Principal, id: string): Promise<WallDeviceRecord> {
    const device = isUuid(id) ? await this.devices.get(id) : undefined;
    if (!device) throw notFound('wall device');
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    if (administered !== undefined && !administered.has(device.jurisdictionId)) throw notFound('wall device');
    return device;
  }

  private async assertJurisdiction(actor: Principal, jurisdictionId: string): Promise<void> {
    const administered = await this.scopes.administeredJurisdictionIds(actor);
    const outside = administered !== undefined && !administered.has(jurisdictionId);
    if (outside || !(await this.scopes.tree()).has(jurisdictionId)) {
      throw new TiergateError('VALIDATION_FAILED', 'jurisdictionId: no such jurisdiction', { fields: ['jurisdictionId'] });
    }
  }

  private async assertWall(actor: Principal, wallId: string): Promise<void> {
    const wall = await this.walls.get(wallId);
    const owners = wall ? new Map((await this.cameras.placementsOf(wall.cameraIds)).map((c) => [c.id, c.jurisdictionId])) : new Map();
    if (!wall || !wallVisible(await this.scopes.scopeOf(actor), actor, wall, owners)) throw new TiergateError('VALIDATION_FAILED', 'wallId: no such wall', { fields: ['wallId'] });
  }
}
