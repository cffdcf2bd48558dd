import type { ProbeMatch } from '@tiergate/onvif';
import type { SweepFinding } from '@tiergate/persistence';

/** Pure mapping of discovery answers to sweep findings. */

const scopeValue = (scopes: readonly string[], key: string): string | undefined => {
  const prefix = `onvif://www.onvif.org/${key}/`;
  const s = scopes.find((x) => x.toLowerCase().startsWith(prefix));
  if (!s) return undefined;
  try {
    return decodeURIComponent(s.slice(prefix.length)).slice(0, 128) || undefined;
  } catch {
    return undefined;
  }
};

/** A finding from a ProbeMatch answered by `host` (the datagram's source address). Undefined when it has no usable XAddr. */
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
  // Prefer the XAddr on the address that answered (a NAT-ed device may list a private one first).
  const xaddr = parsed.find((u) => u.hostname === host) ?? parsed[0];
  if (!xaddr || match.endpointReference.length > 255) return undefined;
  const port = xaddr.port ? Number(xaddr.port) : xaddr.protocol === 'https:' ? 443 : 80;
  const finding: SweepFinding = {
    endpoint: match.endpointReference,
    host,
    port,
    xaddr: xaddr.toString(),
    scopes: match.scopes.slice(0, 32).map((s) => s.slice(0, 256)),
  };
  const manufacturer = scopeValue(match.scopes, 'mfr') ?? scopeValue(match.scopes, 'manufacturer');
  const model = scopeValue(match.scopes, 'hardware');
  if (manufacturer) finding.manufacturer = manufacturer;
  if (model) finding.model = model;
  return finding;
}

/** A finding for a host that answered ONVIF over HTTP but not WS-Discovery: its device service URL stands in for the endpoint. */
export function findingOfHttp(host: string, port: number): SweepFinding {
  const xaddr = `http://${host}:${port}/onvif/device_service`;
  return { endpoint: xaddr, host, port, xaddr, scopes: [] };
}

/**
 * Keeps one finding per endpoint reference and per host:port. A WS-Discovery answer replaces an
 * HTTP-fallback finding of the same host:port (it carries the real endpoint reference and scopes).
 */
export class FindingSet {
  private readonly byEndpoint = new Map<string, SweepFinding>();
  private readonly byHostPort = new Map<string, SweepFinding>();

  add(f: SweepFinding): boolean {
    const hp = `${f.host}:${f.port}`;
    if (this.byEndpoint.has(f.endpoint)) return false;
    const existing = this.byHostPort.get(hp);
    if (existing) {
      if (!isHttpFallback(existing) || isHttpFallback(f)) return false;
      this.byEndpoint.delete(existing.endpoint);
    }
    this.byEndpoint.set(f.endpoint, f);
    this.byHostPort.set(hp, f);
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
