import type { RecordingHoldRecord } from '@tiergate/persistence';

export interface RecordingHoldView {
  id: string;
  cameraId: string;
  from: string;
  to: string;
  reason: string;
  createdBy: string | null;
  createdAt: string;
}

export const toRecordingHoldView = (h: RecordingHoldRecord): RecordingHoldView => ({
  id: h.id,
  cameraId: h.cameraId,
  from: new Date(h.from).toISOString(),
  to: new Date(h.to).toISOString(),
  reason: h.reason,
  createdBy: h.createdBy,
  createdAt: new Date(h.createdAt).toISOString(),
});
