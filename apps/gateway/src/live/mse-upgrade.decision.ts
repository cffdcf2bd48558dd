import { parseMsePath, type StreamKey, type WorkerHeartbeatMessage } from '@tiergate/contracts';
import { isUuid } from '@tiergate/domain';

/**
 * The pure parts of the gateway's MSE WebSocket route (`/live/<cameraId>/<profile>/mse?token=…`): who takes an
 * upgrade, how a proxied upgrade is written to the worker, and the per-address limit. No I/O here; the socket
 * work is mse-byte-proxy.ts, the wiring mse-upgrade.handler.ts.
 */

/** What the gateway does with one upgrade request. */
export type MseUpgradeDecision =
  /** Answered `HTTP/1.1 404` on the socket, no upgrade: bad path, bad or foreign token, no session anywhere. */
  | { kind: 'refuse' }
  /** The session runs in this very process: the co-located worker takes the socket (LocalHlsServer.upgrade). */
  | { kind: 'local'; key: StreamKey }
  /** The session runs on another worker: the bytes go there as they are. */
  | { kind: 'proxy'; key: StreamKey; worker: WorkerHeartbeatMessage };

export interface MseUpgradeFacts {
  method?: string;
  url?: string;
}

export interface MseUpgradeDeps {
  /** StreamTokens.allows: a valid, unexpired token of exactly this camera and profile (and its grant in force). */
  allows(token: string | undefined, cameraId: string, profile: string): boolean;
  /** Whether the worker in this process holds the session now (LOCAL_HLS_SERVER.holds); absent without one. */
  holdsLocally?(cameraId: string, profile: string): boolean;
  /** The worker to deliver the session from (StreamPlacement.holderFor), or undefined. */
  holderOf(key: StreamKey): WorkerHeartbeatMessage | undefined;
}

/** The `token` query parameter of a request URL, or undefined. */
export function tokenOfUrl(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (q < 0) return undefined;
  return new URLSearchParams(url!.slice(q + 1)).get('token') ?? undefined;
}

/**
 * Deny by default: only a GET on the MSE path of a gateway camera (a UUID), with a token for exactly that camera
 * and profile, reaches a worker, and only one that holds the session. Everything else looks the same (404).
 */
export function decideMseUpgrade(req: MseUpgradeFacts, deps: MseUpgradeDeps): MseUpgradeDecision {
  if (req.method !== 'GET') return { kind: 'refuse' };
  const key = parseMsePath(req.url);
  if (!key || !isUuid(key.cameraId)) return { kind: 'refuse' };
  if (!deps.allows(tokenOfUrl(req.url), key.cameraId, key.profile)) return { kind: 'refuse' };
  if (deps.holdsLocally?.(key.cameraId, key.profile)) return { kind: 'local', key };
  const worker = deps.holderOf(key);
  return worker ? { kind: 'proxy', key, worker } : { kind: 'refuse' };
}

/** Where a proxied upgrade goes: the worker's base URL taken apart. */
export interface UpgradeTarget {
  tls: boolean;
  host: string;
  port: number;
  /** The base URL's path (no trailing slash), put before the request path; '' for a bare origin. */
  pathPrefix: string;
  /** The Host header the worker gets. */
  hostHeader: string;
}

/** A worker's base URL (`http://10.0.0.5:8081`) as a connect target, or undefined when it is not http(s). */
export function upgradeTargetOf(baseUrl: string): UpgradeTarget | undefined {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const tls = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : tls ? 443 : 80;
  return { tls, host: u.hostname.replace(/^\[|\]$/g, ''), port, pathPrefix: u.pathname.replace(/\/+$/, ''), hostHeader: u.host };
}

export interface UpgradeRequestFacts {
  method: string;
  url: string;
  /** IncomingMessage.rawHeaders: names and values alternating, as the client sent them. */
  rawHeaders: readonly string[];
}

/** Headers the gateway sets itself on a proxied upgrade (any the client sent are dropped). */
const REPLACED = new Set(['host', 'x-forwarded-for']);

/**
 * The request line and headers of an upgrade, re-serialised for the worker: the client's headers in their order
 * (Connection, Upgrade and the Sec-WebSocket-* handshake among them), Host naming the worker, and
 * X-Forwarded-For naming the client. Node's parser has already refused CR/LF inside a header.
 */
export function upgradeRequestHead(req: UpgradeRequestFacts, target: UpgradeTarget, clientIp: string | undefined): Buffer {
  const lines = [`${req.method} ${target.pathPrefix}${req.url} HTTP/1.1`, `Host: ${target.hostHeader}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!REPLACED.has(name.toLowerCase())) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  if (clientIp) lines.push(`X-Forwarded-For: ${clientIp}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** A complete HTTP answer written on a socket that is not upgraded (then closed). */
export function plainAnswer(status: 404 | 429 | 502, body: string, extra: Record<string, string> = {}): Buffer {
  const reason = { 404: 'Not Found', 429: 'Too Many Requests', 502: 'Bad Gateway' }[status];
  const headers = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store', Connection: 'close', ...extra };
  return Buffer.from(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/**
 * The client's address as Express computes `req.ip`: walk X-Forwarded-For from the nearest hop while the hop is a
 * trusted proxy (`trust(addr, i)`, Express's compiled `trust proxy fn`); the socket's address when nothing is trusted.
 */
export function clientAddressOf(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trust: (addr: string, i: number) => boolean): string | undefined {
  if (!remoteAddress) return undefined;
  const xff = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  const hops = [remoteAddress, ...xff.reverse()];
  for (let i = 0; i < hops.length - 1; i++) if (!trust(hops[i]!, i)) return hops[i];
  return hops[hops.length - 1];
}

/**
 * Open MSE sockets per client address, bounded. A station wall is up to 25 tiles, plus the next page of its tour
 * while it is pre-warmed and a full-screen main stream: 64 leaves room for two such walls behind one address.
 */
export class PerAddressLimit {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes a place for `address`; false when it has `max` already. */
  take(address: string): boolean {
    const n = this.open.get(address) ?? 0;
    if (n >= this.max) return false;
    this.open.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = (this.open.get(address) ?? 0) - 1;
    if (n > 0) this.open.set(address, n);
    else this.open.delete(address);
  }

  countOf(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
