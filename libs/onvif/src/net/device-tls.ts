import { rootCertificates } from 'node:tls';

/** config devices.tlsVerify: auto verifies when a CA file is configured, on always, off never. */
export type TlsVerifyMode = 'auto' | 'on' | 'off';

/** What Tiergate's own TLS connections to cameras (https SOAP and snapshots, rtsps DESCRIBE) check. */
export interface DeviceTlsPolicy {
  verify: boolean;
  /** Trusted CAs in PEM: the system's plus the configured file's; undefined: the system's only. */
  ca?: string[];
}

/**
 * Pure: the policy of a mode and an optional CA bundle. Cameras ship self-signed certificates, so
 * `auto` verifies only where a certificate chain was configured to check them against (tlsCaFile);
 * `on` verifies against the system's CAs (and the file's), `off` never does.
 */
export function deviceTlsPolicyOf(mode: TlsVerifyMode, caPem?: string): DeviceTlsPolicy {
  const verify = mode === 'on' || (mode === 'auto' && !!caPem);
  return { verify, ...(caPem ? { ca: [...rootCertificates, caPem] } : {}) };
}

// Process-wide, like Node's global agent: set once at start-up (startInfrastructure) from the config.
let current: DeviceTlsPolicy = { verify: false };

export function setDeviceTlsPolicy(policy: DeviceTlsPolicy): void {
  current = policy;
}

/** Options for `https.Agent` / `tls.connect` to a camera under the current policy. */
export function deviceTlsOptions(): { rejectUnauthorized: boolean; ca?: string[] } {
  return current.verify ? { rejectUnauthorized: true, ...(current.ca ? { ca: current.ca } : {}) } : { rejectUnauthorized: false };
}
