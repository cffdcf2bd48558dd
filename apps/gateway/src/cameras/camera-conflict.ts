import type { DuplicateKeys } from '@tiergate/persistence';

/** An existing camera that shares a key (ONVIF host:port, endpoint reference, RTSP URL) with a new one. */
export interface ExistingCamera {
  onvifHost: string | null;
  onvifPort: number | null;
  endpointReference: string | null;
  rtspUrl: string | null;
}

/**
 * What a refused duplicate says when the caller cannot see the camera it collides with: nothing about it
 * (not that it exists, not which key, not its address), so a 409 does not map cameras outside the
 * caller's jurisdictions.
 */
export const HIDDEN_CONFLICT = 'this camera cannot be added with these details; ask an administrator of your jurisdiction';

/**
 * Pure: the message of a refused duplicate. A camera the caller can see is named by the key it shares
 * (the caller can open it); one outside its scope gets HIDDEN_CONFLICT.
 */
export function conflictMessage(dup: ExistingCamera, keys: DuplicateKeys, visible: boolean): string {
  if (!visible) return HIDDEN_CONFLICT;
  const what =
    dup.onvifHost && keys.hostPorts.some((k) => k.host.toLowerCase() === dup.onvifHost!.toLowerCase() && k.port === dup.onvifPort)
      ? `ONVIF address ${dup.onvifHost}:${dup.onvifPort}`
      : dup.endpointReference && keys.endpoints.includes(dup.endpointReference)
        ? `endpoint ${dup.endpointReference}`
        : 'RTSP URL';
  return `a camera with this ${what} already exists`;
}
