import { deviceUsername } from '@tiergate/access';
import type { WallDeviceRecord } from '@tiergate/persistence';
import type { WallDeviceView } from './wall-devices.dto';

export const toWallDeviceView = (d: WallDeviceRecord): WallDeviceView => ({
  id: d.id,
  name: d.name,
  username: deviceUsername(d.name),
  jurisdictionId: d.jurisdictionId,
  wallId: d.wallId,
  monitors: d.monitors,
  layout: d.layout,
  tourSeconds: d.tourSeconds,
  createdAt: new Date(d.createdAt).toISOString(),
  lastSeenAt: d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : null,
  revokedAt: d.revokedAt ? new Date(d.revokedAt).toISOString() : null,
  revoked: d.revokedAt !== null,
});

/** The console's kiosk route for a device, the secret in the fragment's query (the fragment never leaves the browser). */
export const enrolmentPath = (deviceId: string, secret: string): string => `/#/kiosk?device=${encodeURIComponent(deviceId)}&secret=${encodeURIComponent(secret)}`;
