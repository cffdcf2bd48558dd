/**
 * A wall device (kiosk, docs/kiosk.md) is a user account of its own kind: `device:<name>`, role viewer, home node the
 * jurisdiction it was enrolled for. Its username cannot be typed into the users API (usernames there are letters,
 * digits and `_.@-`, never `:`), its password hash is one no password matches, and it only watches: the auth guard
 * refuses every call that writes except the few a wall makes to play (DEVICE_WRITE_ROUTES).
 */
export const DEVICE_USERNAME_PREFIX = 'device:';

/** The longest device name: a username has at most 64 characters, the prefix takes 7. */
export const DEVICE_NAME_MAX_LENGTH = 64 - DEVICE_USERNAME_PREFIX.length;

/** Stored as a wall device's password hash: not the `scrypt$…` format, so verifyPassword answers false for every password. */
export const DEVICE_PASSWORD_HASH = '!wall-device: no password login';

export const deviceUsername = (name: string): string => `${DEVICE_USERNAME_PREFIX}${name}`;

export const isDeviceUsername = (username: string | undefined | null): boolean => typeof username === 'string' && username.startsWith(DEVICE_USERNAME_PREFIX);

/**
 * The calls other than GET and HEAD a wall device may make, as `METHOD route-pattern` (Express route paths):
 * renew its token, start a live view, take a ticket for the push channel. Everything else is refused (403).
 */
export const DEVICE_WRITE_ROUTES: ReadonlySet<string> = new Set(['POST /api/auth/refresh', 'POST /api/cameras/:id/live', 'POST /api/events/ticket']);

/** Whether a wall device may make this call: reads, and the routes of DEVICE_WRITE_ROUTES. An unknown route is refused. */
export function deviceMayCall(method: string, routePath: string | undefined): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return true;
  return routePath !== undefined && DEVICE_WRITE_ROUTES.has(`${m} ${routePath}`);
}
