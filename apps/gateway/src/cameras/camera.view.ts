import type { CameraListRecord, CameraRecord } from '@tiergate/persistence';

/** Pure mapping of a camera row to what clients see. Never a password or a URL with credentials. */

export interface CameraSummaryView {
  id: string;
  name: string;
  jurisdictionId: string | null;
  jurisdictionPinned: boolean;
  location: { lat: number; lon: number } | null;
  tags: string[];
  status: string;
  statusReason: string | null;
  lastSeenAt: string | null;
  statusCheckedAt: string | null;
  source: 'onvif' | 'rtsp';
  createdAt: string;
  updatedAt: string;
}

export interface CameraDetailView extends CameraSummaryView {
  onvif: { host: string; port: number; username: string | null } | null;
  rtspUrl: string | null;
  hasCredentials: boolean;
  endpointReference: string | null;
  device: { manufacturer?: string; model?: string; firmwareVersion?: string; serialNumber?: string; hardwareId?: string } | null;
  profiles: { token: string; name: string; kind: 'main' | 'sub'; encoding: string; width: number; height: number; fps: number; bitrate?: number; streamUri: string }[];
  snapshotUri: string | null;
}

const iso = (d: Date | string | null | undefined): string | null => (d ? (d instanceof Date ? d : new Date(d)).toISOString() : null);

/** Strips any `user:pass@` that slipped into a stored URL (defence in depth). */
const noCredentials = (u: string | null): string | null => (u === null ? null : u.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1'));

export function toCameraSummary(c: CameraListRecord): CameraSummaryView {
  return {
    id: c.id,
    name: c.name,
    jurisdictionId: c.jurisdictionId,
    jurisdictionPinned: c.jurisdictionPinned,
    location: c.lat === null || c.lon === null ? null : { lat: c.lat, lon: c.lon },
    tags: c.tags ?? [],
    status: c.status,
    statusReason: c.statusReason,
    lastSeenAt: iso(c.lastSeenAt),
    statusCheckedAt: iso(c.statusCheckedAt),
    source: c.onvifHost ? 'onvif' : 'rtsp',
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
  };
}

export function toCameraDetail(c: CameraRecord): CameraDetailView {
  return {
    ...toCameraSummary(c),
    onvif: c.onvifHost && c.onvifPort ? { host: c.onvifHost, port: c.onvifPort, username: c.username } : null,
    rtspUrl: noCredentials(c.rtspUrl),
    hasCredentials: c.passwordSealed !== null,
    endpointReference: c.endpointReference,
    device: c.device ? { ...c.device } : null,
    profiles: (c.profiles ?? []).map((p) => ({
      token: p.token,
      name: p.name,
      kind: p.kind,
      encoding: p.encoding,
      width: p.width,
      height: p.height,
      fps: p.fps,
      ...(p.bitrate === undefined ? {} : { bitrate: p.bitrate }),
      streamUri: noCredentials(p.streamUri)!,
    })),
    snapshotUri: noCredentials(c.snapshotUri),
  };
}
