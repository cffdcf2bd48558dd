/** The validated shape of Tiergate's configuration. Parsed once at start-up by `loadConfig`. */
export interface TiergateConfig {
  http: {
    host: string;
    port: number;
    publicUrl: string;
    /** Proxies whose X-Forwarded-For/-Proto/-Host are believed (Express `trust proxy`); empty: none. */
    trustProxy: string;
    /** Host names (host or host:port) accepted from the Host header to build absolute URLs when publicUrl is empty. */
    allowedHosts: string;
    /** OpenAPI document at /api/docs: auto (on in embedded or demo mode), on, off. */
    docs: 'auto' | 'on' | 'off';
    /** Serve Prometheus metrics at /metrics. */
    metrics: boolean;
    /** When set, /metrics wants `Authorization: Bearer <token>`. */
    metricsToken: string;
  };
  dataDir: string;
  database: { url: string };
  mqtt: { url: string; embeddedPort: number };
  demo: { enabled: boolean; cameras: number };
  auth: {
    adminPassword: string;
    secretKey: string;
    /** Signs login tokens only, when set (else secretKey does): rotating it ends every login session (docs/kiosk.md). */
    sessionKey: string;
    sessionTtlSeconds: number;
    streamTokenTtlSeconds: number;
  };
  discovery: {
    multicastInterface: string;
    concurrency: number;
    probeTimeoutMs: number;
    ports: number[];
    connectTimeoutMs: number;
    /** Findings one answering host may add to a sweep (one WS-Discovery host sent 16,000). */
    maxFindingsPerHost: number;
    /** Findings one sweep keeps. */
    maxFindingsPerSweep: number;
  };
  /** Quotas on what one request may create or answer (issue 11 item 13). */
  limits: {
    /** Camera rows in one CSV import. */
    importCameraRows: number;
    /** Incident rows (CSV) or features (GeoJSON) in one import. */
    importIncidentRows: number;
    /** Largest `limit` of a paged list. */
    maxPageSize: number;
    /** Page size of lists the contract does not require to be complete (users, grants, audit, incidents). */
    defaultPageSize: number;
  };
  /** How Tiergate talks TLS to cameras (https SOAP and snapshots, rtsps DESCRIBE). */
  devices: {
    /** auto: verify certificates when tlsCaFile is set, else accept the self-signed ones cameras ship with; on: always; off: never. */
    tlsVerify: 'auto' | 'on' | 'off';
    /** PEM file of the CA(s) that signed the cameras' certificates (added to the system's). */
    tlsCaFile: string;
  };
  health: { intervalSeconds: number; concurrency: number; timeoutMs: number };
  transcoder: {
    workerId: string;
    httpHost: string;
    httpPort: number;
    /** URL at which other processes reach this worker's HLS server; empty: http://httpHost:httpPort. */
    publicUrl: string;
    capacity: number;
    startTimeoutMs: number;
    idleCloseMs: number;
    heartbeatMs: number;
    workerStaleMs: number;
    /** Where workers write HLS output (a directory per worker under it); empty: /dev/shm/tiergate-hls when writable, else <tmp>/tiergate-hls. */
    hlsDir: string;
    /** How often a starting session looks for its first segment. */
    pollMs: number;
    /** Restart backoff of a session whose ffmpeg exits while someone watches: first delay, doubling up to restartMaxMs. */
    restartBaseMs: number;
    restartMaxMs: number;
    /** Failed starts in a row after which a session reports the stream failing (stream state `failed`, alerts). */
    reportFailuresAfter: number;
    /** How long ffmpeg gets after SIGTERM before SIGKILL. */
    stopGraceMs: number;
    /** Bytes ffmpeg may read to find the stream parameters (`-probesize`). */
    probeSize: number;
    /** Microseconds ffmpeg may analyse the stream (`-analyzeduration`). */
    analyzeDurationUs: number;
    /**
     * Longest fMP4 fragment of the low-latency output (MSE, LL-HLS; ffmpeg `-frag_duration`), in ms; a fragment
     * also starts at every keyframe. 0 turns the low-latency output off (classic HLS only).
     */
    fragmentDurationMs: number;
    /**
     * Public base URL of the static-media nginx in front of `hlsDir` (docs/delivery.md): classic segments are served
     * there by signed links the worker puts in each checked playlist. Empty: off, segments go through the gateway.
     */
    staticMediaUrl: string;
    /**
     * Scheduling niceness of every ffmpeg a worker starts (0..19; 0: the worker's own). Above the worker's, so
     * that when ffmpegs fill the CPU (a burst of starts) the worker still answers playlists and heartbeats in time.
     */
    ffmpegNiceness: number;
    /** Streams a worker starts at once (its ffmpegs probing their cameras); the others wait in order (start-gate.ts). */
    startsAtOnce: number;
    ffmpegPath: string;
    ffprobePath: string;
  };
  /** Recording (issue 14, docs/recording.md): what a transcoder worker with a disk needs. */
  recording: {
    /**
     * Storage roots of this worker; a relative path lies under dataDir. Empty: the worker records nothing and
     * offers no storage in its heartbeat.
     */
    roots: RecordingRootConfig[];
    /** A segment ends at the first keyframe at which it holds at least this many seconds. */
    segmentSeconds: number;
    /** Below this many free bytes on a root's file system the recorder stops writing (state disk-full) until space returns. */
    minFreeBytes: number;
    /** How often each root is pruned (retention by keepUntil, then quota, oldest first). */
    pruneIntervalSeconds: number;
  };
  /** ONVIF motion/tamper alarms (issue 15, docs/alarms.md). */
  alarms: {
    /** Discovery subscribes to every ONVIF camera's events (PullPoint). */
    subscribe: boolean;
    /** A start within this many seconds of the last one, on an alarm not acknowledged, is folded into it. */
    dedupWindowSeconds: number;
    /** How long one PullMessages waits for events (the camera answers earlier when it has some). */
    pullWaitSeconds: number;
    /** The termination time asked for a subscription; it is renewed at half of it. */
    subscriptionSeconds: number;
  };
  /** Video patrol rounds and the duty fulfilment rate (issue 16, docs/methods.md). */
  patrol: {
    /** IANA zone in which route schedules' HH:MM are read (Asia/Shanghai: UTC+8, no DST). */
    timeZone: string;
    /** A round is on time when it starts at most this many minutes before or after its planned time. */
    onTimeMinutes: number;
    /** A finished round is completed when at least this percent of its stops has a mark. */
    completedPercent: number;
    /** A planned round not started by plannedAt + this many minutes is missed. */
    missedAfterMinutes: number;
  };
  /** What a raised alert level changes (issue 16, docs/methods.md "Alert levels"); level 1 changes nothing. */
  alerts: { level2: AlertEffectsConfig; level3: AlertEffectsConfig };
  analysis: {
    utcOffsetMinutes: number;
    /** Incident type codes that count as preventable cases (可防性案件, docs/methods.md), comma-separated. */
    preventableTypes: string;
  };
  console: {
    tileUrl: string;
    /** A GeoJSON FeatureCollection on the gateway host drawn under the boundaries (streets, landmarks; docs/map.md); empty: none. */
    basemapFile: string;
  };
  log: { level: 'debug' | 'info' | 'warn' | 'error' };
  lifecycle: {
    /** How long start-up keeps retrying an unreachable database or broker before it gives up; 0: no retry. */
    startRetrySeconds: number;
    /** How long a graceful stop (SIGTERM/SIGINT) may take before the process exits non-zero. */
    stopTimeoutSeconds: number;
  };
}

/** One raised alert level's effects; factors as percent (50 = half). */
export interface AlertEffectsConfig {
  hotspotsFirst: boolean;
  /** Comma-separated camera tags shown right after the hotspot cameras (e.g. garage). */
  priorityTags: string;
  dwellPercent: number;
  patrolIntervalPercent: number;
  alertPostPcs: boolean;
}

/** One recording storage root: `{id, path, quotaBytes}`. */
export interface RecordingRootConfig {
  id: string;
  path: string;
  quotaBytes: number;
}

/** A key's kind and bounds; `secret` values are never repeated in a message. */
export type Kind =
  | { t: 'string'; allowEmpty?: boolean; pattern?: RegExp; hint?: string; secret?: boolean }
  | { t: 'int'; min: number; max: number; hint?: string }
  | { t: 'bool' }
  | { t: 'intList'; min: number; max: number }
  | { t: 'enum'; values: readonly string[] }
  /** A list of recording roots: YAML objects, JSON, or `id=path:quota,…` (quota in bytes or with k/m/g/t, binary). */
  | { t: 'roots' }
  /** A byte count: an integer, or with a binary unit (`512m`, `20GiB`). */
  | { t: 'bytes' };

const port: Kind = { t: 'int', min: 0, max: 65535, hint: '0 picks a free port' };
const positive = (max: number): Kind => ({ t: 'int', min: 1, max });
const text: Kind = { t: 'string', allowEmpty: true };

function alertEffectKeys(prefix: string): Record<string, Kind> {
  return {
    [`${prefix}.hotspotsFirst`]: { t: 'bool' },
    [`${prefix}.priorityTags`]: { t: 'string', allowEmpty: true, pattern: /^[^,\s]+(\s*,\s*[^,\s]+)*$/, hint: 'a comma-separated list of camera tags' },
    [`${prefix}.dwellPercent`]: { t: 'int', min: 10, max: 100 },
    [`${prefix}.patrolIntervalPercent`]: { t: 'int', min: 10, max: 100 },
    [`${prefix}.alertPostPcs`]: { t: 'bool' },
  };
}

/** Every key, its kind and its bounds. A key missing here is rejected as unknown. */
export const CONFIG_SCHEMA: Record<string, Kind> = {
  'http.host': { t: 'string', pattern: /^[A-Za-z0-9.:-]+$/, hint: 'a host name or IP address' },
  'http.port': port,
  'http.publicUrl': { t: 'string', allowEmpty: true, pattern: /^https?:\/\/[^\s]+$/, hint: 'an http(s) URL' },
  'http.trustProxy': {
    t: 'string',
    allowEmpty: true,
    pattern: /^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?))*$/,
    hint: 'a comma-separated list of proxy addresses, CIDRs, loopback, linklocal or uniquelocal',
  },
  'http.allowedHosts': { t: 'string', allowEmpty: true, pattern: /^[A-Za-z0-9.:\[\]-]+(\s*,\s*[A-Za-z0-9.:\[\]-]+)*$/, hint: 'a comma-separated list of host or host:port' },
  'http.docs': { t: 'enum', values: ['auto', 'on', 'off'] },
  'http.metrics': { t: 'bool' },
  'http.metricsToken': { t: 'string', allowEmpty: true, pattern: /^[\x21-\x7e]{16,}$/, hint: 'at least 16 printable characters, no spaces', secret: true },
  dataDir: { t: 'string' },
  'database.url': { t: 'string', allowEmpty: true, pattern: /^postgres(ql)?:\/\/[^\s]+$/, hint: 'a postgres:// URL' },
  'mqtt.url': { t: 'string', allowEmpty: true, pattern: /^mqtts?:\/\/[^\s]+$/, hint: 'an mqtt:// URL' },
  'mqtt.embeddedPort': port,
  'demo.enabled': { t: 'bool' },
  'demo.cameras': { t: 'int', min: 0, max: 500 },
  'auth.adminPassword': { t: 'string', allowEmpty: true, secret: true },
  'auth.secretKey': { t: 'string', allowEmpty: true, pattern: /^.{16,}$/s, hint: 'at least 16 characters', secret: true },
  'auth.sessionKey': { t: 'string', allowEmpty: true, pattern: /^.{16,}$/s, hint: 'at least 16 characters', secret: true },
  'auth.sessionTtlSeconds': positive(30 * 86400),
  'auth.streamTokenTtlSeconds': { t: 'int', min: 10, max: 600 },
  'discovery.multicastInterface': { t: 'string', allowEmpty: true, pattern: /^[0-9.]+$/, hint: 'an IPv4 interface address' },
  'discovery.concurrency': positive(1024),
  'discovery.probeTimeoutMs': positive(60000),
  'discovery.ports': { t: 'intList', min: 1, max: 65535 },
  'discovery.connectTimeoutMs': positive(120000),
  'discovery.maxFindingsPerHost': positive(1024),
  'discovery.maxFindingsPerSweep': positive(100000),
  'limits.importCameraRows': positive(1000000),
  'limits.importIncidentRows': positive(10000000),
  'limits.maxPageSize': positive(100000),
  'limits.defaultPageSize': positive(100000),
  'devices.tlsVerify': { t: 'enum', values: ['auto', 'on', 'off'] },
  'devices.tlsCaFile': { t: 'string', allowEmpty: true },
  'health.intervalSeconds': positive(86400),
  'health.concurrency': positive(1024),
  'health.timeoutMs': positive(120000),
  'transcoder.workerId': { t: 'string', allowEmpty: true, pattern: /^[A-Za-z0-9_-]{1,64}$/, hint: 'letters, digits, - and _' },
  'transcoder.httpHost': { t: 'string', pattern: /^[A-Za-z0-9.:-]+$/ },
  'transcoder.httpPort': port,
  'transcoder.publicUrl': { t: 'string', allowEmpty: true, pattern: /^https?:\/\/[^\s]+$/, hint: 'an http(s) URL' },
  'transcoder.capacity': positive(10000),
  'transcoder.startTimeoutMs': positive(120000),
  'transcoder.idleCloseMs': positive(3600000),
  'transcoder.heartbeatMs': positive(60000),
  'transcoder.workerStaleMs': positive(600000),
  'transcoder.hlsDir': text,
  'transcoder.pollMs': positive(5000),
  'transcoder.restartBaseMs': positive(60000),
  'transcoder.restartMaxMs': positive(600000),
  'transcoder.reportFailuresAfter': positive(1000),
  'transcoder.stopGraceMs': { t: 'int', min: 0, max: 60000 },
  'transcoder.probeSize': { t: 'int', min: 32, max: 50_000_000 },
  'transcoder.analyzeDurationUs': { t: 'int', min: 1000, max: 30_000_000 },
  'transcoder.fragmentDurationMs': { t: 'int', min: 0, max: 10_000 },
  'transcoder.staticMediaUrl': { t: 'string', allowEmpty: true, pattern: /^https?:\/\/[^\s?#]+$/, hint: 'an http(s) URL without query' },
  'transcoder.ffmpegNiceness': { t: 'int', min: 0, max: 19 },
  'transcoder.startsAtOnce': { t: 'int', min: 1, max: 1000 },
  'transcoder.ffmpegPath': text,
  'transcoder.ffprobePath': text,
  'recording.roots': { t: 'roots' },
  'recording.segmentSeconds': positive(60),
  'recording.minFreeBytes': { t: 'bytes' },
  'recording.pruneIntervalSeconds': positive(86400),
  'alarms.subscribe': { t: 'bool' },
  'alarms.dedupWindowSeconds': { t: 'int', min: 0, max: 86400 },
  'alarms.pullWaitSeconds': { t: 'int', min: 1, max: 60 },
  'alarms.subscriptionSeconds': { t: 'int', min: 10, max: 3600 },
  'patrol.timeZone': { t: 'string', pattern: /^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/, hint: 'an IANA time zone such as Asia/Shanghai' },
  'patrol.onTimeMinutes': { t: 'int', min: 0, max: 720 },
  'patrol.completedPercent': { t: 'int', min: 0, max: 100 },
  'patrol.missedAfterMinutes': positive(1440),
  ...alertEffectKeys('alerts.level2'),
  ...alertEffectKeys('alerts.level3'),
  'analysis.utcOffsetMinutes': { t: 'int', min: -720, max: 840 },
  'analysis.preventableTypes': {
    t: 'string',
    pattern: /^(bike_theft|burglary|robbery|snatch|other)(\s*,\s*(bike_theft|burglary|robbery|snatch|other))*$/,
    hint: 'a comma-separated list of incident types (bike_theft, burglary, robbery, snatch, other)',
  },
  'console.tileUrl': { t: 'string', allowEmpty: true, pattern: /^https?:\/\/[^\s]+$/, hint: 'an http(s) URL template' },
  'console.basemapFile': text,
  'log.level': { t: 'enum', values: ['debug', 'info', 'warn', 'error'] },
  'lifecycle.startRetrySeconds': { t: 'int', min: 0, max: 3600 },
  'lifecycle.stopTimeoutSeconds': positive(600),
};

/** Environment variables with a name of their own (CONTRACT.md). Any key can also be set as TIERGATE__SECTION__KEY. */
export const ENV_ALIASES: Record<string, string> = {
  PORT: 'http.port',
  TIERGATE_HOST: 'http.host',
  TIERGATE_PUBLIC_URL: 'http.publicUrl',
  TIERGATE_TRUST_PROXY: 'http.trustProxy',
  TIERGATE_METRICS_TOKEN: 'http.metricsToken',
  TIERGATE_DATA_DIR: 'dataDir',
  DATABASE_URL: 'database.url',
  MQTT_URL: 'mqtt.url',
  TIERGATE_DEMO: 'demo.enabled',
  TIERGATE_DEMO_CAMERAS: 'demo.cameras',
  TIERGATE_ADMIN_PASSWORD: 'auth.adminPassword',
  TIERGATE_SECRET_KEY: 'auth.secretKey',
  TIERGATE_SESSION_KEY: 'auth.sessionKey',
  TIERGATE_DISCOVERY_INTERFACE: 'discovery.multicastInterface',
  TIERGATE_WORKER_ID: 'transcoder.workerId',
  TIERGATE_WORKER_PORT: 'transcoder.httpPort',
  TIERGATE_WORKER_URL: 'transcoder.publicUrl',
  FFMPEG_PATH: 'transcoder.ffmpegPath',
  FFPROBE_PATH: 'transcoder.ffprobePath',
  TIERGATE_LOG_LEVEL: 'log.level',
  TIERGATE_DEVICES_TLS_VERIFY: 'devices.tlsVerify',
  TIERGATE_DEVICES_TLS_CA_FILE: 'devices.tlsCaFile',
};
