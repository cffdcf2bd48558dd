import type { RecordingRuleRecord } from '@tiergate/persistence';

export interface RecordingRuleView {
  id: string;
  name: string;
  target: { type: RecordingRuleRecord['targetType']; value: string };
  mode: RecordingRuleRecord['mode'];
  bufferMinutes: number | null;
  profile: RecordingRuleRecord['profile'];
  retentionDays: number;
  jurisdictionId: string;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const toRecordingRuleView = (r: RecordingRuleRecord): RecordingRuleView => ({
  id: r.id,
  name: r.name,
  target: { type: r.targetType, value: r.targetValue },
  mode: r.mode,
  bufferMinutes: r.bufferMinutes,
  profile: r.profile,
  retentionDays: r.retentionDays,
  jurisdictionId: r.jurisdictionId,
  enabled: r.enabled,
  createdBy: r.createdBy,
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});
