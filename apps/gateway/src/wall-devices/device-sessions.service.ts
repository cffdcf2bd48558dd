import { Injectable } from '@nestjs/common';
import { deviceSecretMatches, hashDeviceSecret, newDeviceSecret, Principal } from '@tiergate/access';
import { isUuid, notFound, TiergateError } from '@tiergate/domain';
import { AuditWriter, UsersRepository, WallDevicesRepository } from '@tiergate/persistence';
import { AuthService } from '../identity/auth.service';
import { DeviceLoginResult, WallDeviceView } from './wall-devices.dto';
import { toWallDeviceView } from './wall-device.view';

/**
 * A wall device's sessions (docs/kiosk.md): its secret is exchanged for an ordinary login token of its account, as
 * often as it needs one (after a restart, a key rotation, an expiry), so a kiosk never shows a login page. A revoked
 * device holding the right secret is told so (403), so the screen can say it; anything else is 401.
 */
@Injectable()
export class DeviceSessionsService {
  /** Compared against for unknown device ids, so a missing device costs the same hash as a wrong secret. */
  private readonly dummyHash = hashDeviceSecret(newDeviceSecret());

  constructor(
    private readonly devices: WallDevicesRepository,
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditWriter,
  ) {}

  async start(deviceId: string, secret: string, ip: string | undefined): Promise<DeviceLoginResult> {
    const device = isUuid(deviceId) ? await this.devices.get(deviceId) : undefined;
    const matches = deviceSecretMatches(secret, device?.secretHash ?? this.dummyHash);
    if (!device || !matches) {
      await this.audit.append({ userId: null, username: 'device:?' }, { action: 'auth.device-failed', targetType: 'wall-device', targetId: isUuid(deviceId) ? deviceId : undefined, ip });
      throw new TiergateError('UNAUTHENTICATED', 'unknown wall device or wrong secret');
    }
    const user = await this.users.get(device.userId);
    if (device.revokedAt || !user || user.disabled) {
      await this.audit.append({ userId: device.userId, username: user?.username ?? 'device:?' }, { action: 'auth.device-failed', targetType: 'wall-device', targetId: device.id, ip, details: { reason: 'revoked' } });
      throw new TiergateError('FORBIDDEN', 'this wall device has been revoked', { reason: 'revoked' });
    }
    const now = new Date();
    await this.devices.touch(device.id, now);
    await this.audit.append({ userId: user.id, username: user.username }, { action: 'auth.device', targetType: 'wall-device', targetId: device.id, ip });
    const session = this.auth.issue(user);
    return { accessToken: session.accessToken, expiresAt: session.expiresAt, user: session.user, device: toWallDeviceView({ ...device, lastSeenAt: now }) };
  }

  /** The calling device's own record (its wall, monitors, layout, tour); 404 for a person's session. */
  async self(principal: Principal): Promise<WallDeviceView> {
    const device = await this.devices.byUser(principal.userId);
    if (!device) throw notFound('wall device');
    return toWallDeviceView(device);
  }
}
