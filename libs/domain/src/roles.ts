export const ROLES = ['admin', 'operator', 'viewer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const CAMERA_STATUSES = ['online', 'offline', 'unauthorized', 'unknown'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

export const TIERS = ['sub-bureau', 'station', 'post', 'grid'] as const;
export type Tier = string; // known tiers above, deeper custom tiers allowed

export const INCIDENT_TYPES = ['bike_theft', 'burglary', 'robbery', 'snatch', 'other'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
