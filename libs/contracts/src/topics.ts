/**
 * The one table of MQTT topics. Every topic is versioned under `tiergate/v1`; builders are the only way
 * code names a topic, so a rename happens here and nowhere else.
 */
export const TOPIC_ROOT = 'tiergate/v1';

export const Topics = {
  cameraStatus: (cameraId: string) => `${TOPIC_ROOT}/cameras/${cameraId}/status`,
  cameraStatusAll: `${TOPIC_ROOT}/cameras/+/status`,
  /** A motion or tamper event a camera sent (discovery's PullPoint subscriber; qos 1, not retained). */
  cameraEvent: (cameraId: string) => `${TOPIC_ROOT}/cameras/${cameraId}/onvif-event`,
  cameraEventAll: `${TOPIC_ROOT}/cameras/+/onvif-event`,
  /** An alarm row was created or changed (a repeat, the event's end, an acknowledgement): the gateway that wrote it; qos 1. */
  cameraAlarm: (cameraId: string) => `${TOPIC_ROOT}/cameras/${cameraId}/alarm`,
  cameraAlarmAll: `${TOPIC_ROOT}/cameras/+/alarm`,
  sweepProgress: (sweepId: string) => `${TOPIC_ROOT}/discovery/sweeps/${sweepId}/progress`,
  streamState: (cameraId: string, profile: string) => `${TOPIC_ROOT}/streams/${cameraId}/${profile}/state`,
  streamStateAll: `${TOPIC_ROOT}/streams/+/+/state`,
  workerHeartbeat: (workerId: string) => `${TOPIC_ROOT}/workers/${workerId}/heartbeat`,
  workerHeartbeatAll: `${TOPIC_ROOT}/workers/+/heartbeat`,
  hotspotEvent: (jurisdictionId: string) => `${TOPIC_ROOT}/hotspots/${jurisdictionId}/changed`,
  hotspotEventAll: `${TOPIC_ROOT}/hotspots/+/changed`,
  jurisdictionsChanged: `${TOPIC_ROOT}/jurisdictions/changed`,
  camerasChanged: `${TOPIC_ROOT}/cameras/changed`,
  /** A user row changed (token version, role, home, disabled, deleted): processes drop their cached copy. */
  userChanged: (userId: string) => `${TOPIC_ROOT}/users/${userId}/changed`,
  userChangedAll: `${TOPIC_ROOT}/users/+/changed`,
  /** A patrol round of a node started, finished, or got an abnormal mark (qos 1, not retained). */
  patrolRound: (jurisdictionId: string) => `${TOPIC_ROOT}/patrol/${jurisdictionId}/rounds`,
  patrolRoundAll: `${TOPIC_ROOT}/patrol/+/rounds`,
  /** A node's own alert level, retained (the newest per node; an expired one counts as level 1). */
  alertLevel: (jurisdictionId: string) => `${TOPIC_ROOT}/jurisdictions/${jurisdictionId}/alert-level`,
  alertLevelAll: `${TOPIC_ROOT}/jurisdictions/+/alert-level`,
} as const;

/**
 * Request/reply commands between apps (`MqttBus.request`/`serve`; their payload classes and the reply
 * class are in messages/, listed in COMMANDS).
 */
export const Commands = {
  sweepStart: `${TOPIC_ROOT}/cmd/discovery/sweep-start`,
  streamEnsure: (workerId: string) => `${TOPIC_ROOT}/cmd/transcoder/${workerId}/stream-ensure`,
  recordingExport: (workerId: string) => `${TOPIC_ROOT}/cmd/transcoder/${workerId}/recording-export`,
  recordingExportDelete: (workerId: string) => `${TOPIC_ROOT}/cmd/transcoder/${workerId}/recording-export-delete`,
  jurisdictionsImport: `${TOPIC_ROOT}/cmd/partitioner/jurisdictions-import`,
  jurisdictionsDelete: `${TOPIC_ROOT}/cmd/partitioner/jurisdictions-delete`,
} as const;

/**
 * Topics whose messages must be signed envelopes (see libs/messaging `BusEnvelopes`): commands and their
 * replies, worker heartbeats (a forged one would draw sessions and viewers' tokens to its sender) and the
 * access snapshot and its change notices (a forged snapshot could share any camera), and the recording plan
 * (a forged one could stop recordings or fill disks).
 * The bus signs what it publishes there and drops what it cannot verify. Camera statuses, stream states
 * and the other events keep the plain JSON payloads of CONTRACT.md.
 */
export const SIGNED_TOPICS = [`${TOPIC_ROOT}/cmd/#`, `${TOPIC_ROOT}/inbox/#`, Topics.workerHeartbeatAll, `${TOPIC_ROOT}/access/#`, `${TOPIC_ROOT}/recordings/plan`] as const;

/**
 * Signed topics on which an empty retained message (a tombstone: "this worker left") is accepted unsigned.
 * It is what the broker publishes as a crashed process's last will, which cannot carry a fresh signature;
 * it can only make a gateway forget a worker until the worker's next heartbeat.
 */
export const TOMBSTONE_TOPICS = [Topics.workerHeartbeatAll] as const;
