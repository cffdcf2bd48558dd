import type { IncidentRow } from '@tiergate/persistence';

export interface IncidentView {
  id: string;
  type: string;
  occurredAt: string;
  location: { lat: number; lon: number };
  jurisdictionId: string | null;
}

export const toIncidentView = (r: IncidentRow): IncidentView => ({
  id: r.id,
  type: r.type,
  occurredAt: r.occurredAt.toISOString(),
  location: { lat: r.lat, lon: r.lon },
  jurisdictionId: r.jurisdictionId,
});
