import { identityOfScopes, ProbeMatch } from '@tiergate/onvif';
import type { SweepFinding } from '@tiergate/persistence';

/** Pure mapping of discovery answers to sweep findings. */

const bareHost = (h: string): string => h.replace(/^\[|\]$/g, '').toLowerCase();

/**
 * A finding from a ProbeMatch answered by `host` (the datagram's source address). Undefined when it has
 * no usable XAddr.
 *
 * `host` is always the address that answered, never the XAddr's: behind a port-forwarding NAT the device
 * lists its private address (`http://192.168.1.64/onvif/device_service`), which we cannot reach. The
 * port is the XAddr's, taken on trust only when that XAddr is on the answering address; otherwise it is
 * a guess that the sweep checks (see `portNeedsCheck` and finding-port.resolver.ts).
 *
 * `manufacturer`/`model` come from the scopes (`name/`, `hardware/`, `mfr/`: see identityOfScopes);
 * once the camera is onboarded its GetDeviceInformation answer takes over in the sweep view.
 */
export function findingOfMatch(match: ProbeMatch, host: string): SweepFinding | undefined {
  const parsed = match.xaddrs
    .map((x) => {
      try {
        const u = new URL(x);
        return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
      } catch {
        return undefined;
      }
    })
    .filter((u): u is URL => u !== undefined);
  // Prefer the XAddr on the address that answered, then plain http (what the prober and client speak).
  const xaddr = parsed.find((u) => bareHost(u.hostname) === bareHost(host)) ?? parsed.find((u) => u.protocol === 'http:') ?? parsed[0];
  if (!xaddr || match.endpointReference.length > 255) return undefined;
  const port = xaddr.port ? Number(xaddr.port) : xaddr.protocol === 'https:' ? 443 : 80;
  const finding: SweepFinding = {
    endpoint: match.endpointReference,
    host,
    port,
    xaddr: xaddr.toString(),
    scopes: match.scopes.slice(0, 32).map((s) => s.slice(0, 256)),
  };
  const identity = identityOfScopes(match.scopes.slice(0, 64));
  if (identity.manufacturer) finding.manufacturer = identity.manufacturer;
  if (identity.model) finding.model = identity.model;
  return finding;
}

/** Pure: whether a finding's port is only the XAddr's guess (the XAddr names another host than the one that answered). */
export function portNeedsCheck(f: SweepFinding): boolean {
  try {
    return bareHost(new URL(f.xaddr).hostname) !== bareHost(f.host);
  } catch {
    return true;
  }
}

/** Pure: the ports to try on the answering host, in order: the XAddr's own, then the sweep's ONVIF ports. */
export function candidatePorts(f: SweepFinding, sweepPorts: readonly number[]): number[] {
  return [...new Set([f.port, ...sweepPorts])].filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
}

/** A finding for a host that answered ONVIF over HTTP but not WS-Discovery: its device service URL stands in for the endpoint. */
export function findingOfHttp(host: string, port: number): SweepFinding {
  const xaddr = `http://${host}:${port}/onvif/device_service`;
  return { endpoint: xaddr, host, port, xaddr, scopes: [] };
}

/** Quotas of one sweep (config discovery.maxFindingsPerHost / maxFindingsPerSweep). */
export interface FindingLimits {
  perHost: number;
  perSweep: number;
}

/**
 * Keeps one finding per endpoint reference and per host:port. A WS-Discovery answer replaces an
 * HTTP-fallback finding of the same host:port (it carries the real endpoint reference and scopes).
 * At most `limits.perHost` findings per answering host and `limits.perSweep` in all: one hostile host
 * that answers thousands of matches adds only its quota, and `dropped` counts what was left out.
 */
export class FindingSet {
  private readonly byEndpoint = new Map<string, SweepFinding>();
  private readonly byHostPort = new Map<string, SweepFinding>();
  private readonly perHost = new Map<string, number>();
  dropped = 0;

  constructor(private readonly limits: FindingLimits = { perHost: Number.POSITIVE_INFINITY, perSweep: Number.POSITIVE_INFINITY }) {}

  /** Whether a new finding from `host` would still fit both quotas. */
  hasRoomFor(host: string): boolean {
    return (this.perHost.get(host) ?? 0) < this.limits.perHost && this.byEndpoint.size < this.limits.perSweep;
  }

  add(f: SweepFinding): boolean {
    const hp = `${f.host}:${f.port}`;
    if (this.byEndpoint.has(f.endpoint)) return false;
    const existing = this.byHostPort.get(hp);
    if (existing) {
      if (!isHttpFallback(existing) || isHttpFallback(f)) return false;
      this.byEndpoint.delete(existing.endpoint);
      this.perHost.set(existing.host, (this.perHost.get(existing.host) ?? 1) - 1);
    } else if (!this.hasRoomFor(f.host)) {
      this.dropped++;
      return false;
    }
    this.byEndpoint.set(f.endpoint, f);
    this.byHostPort.set(hp, f);
    this.perHost.set(f.host, (this.perHost.get(f.host) ?? 0) + 1);
    return true;
  }

  get size(): number {
    return this.byEndpoint.size;
  }

  list(): SweepFinding[] {
    return [...this.byEndpoint.values()];
  }
}

const isHttpFallback = (f: SweepFinding): boolean => f.endpoint === f.xaddr && f.scopes.length === 0;
