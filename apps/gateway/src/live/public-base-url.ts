import { isIP } from 'node:net';

/** What decides the base of absolute URLs handed to clients (hlsUrl). */
export interface PublicUrlSettings {
  /** http.publicUrl: when set, the only base ever used. */
  publicUrl: string;
  /** http.allowedHosts: names accepted from the Host header; `name` matches any port, `name:port` that port. */
  allowedHosts: readonly string[];
  /** http.host: the configured listen address (a name here is accepted like an allowed host on the local port). */
  listenHost: string;
}

/** What the request says and what the socket knows. Only `host` (and `protocol` behind a trusted proxy) come from the client. */
export interface RequestFacts {
  /** `req.protocol`: the socket's, or X-Forwarded-Proto from a trusted proxy. */
  protocol: string;
  /** `req.host`: the Host header, or X-Forwarded-Host from a trusted proxy; with its port. */
  host: string | undefined;
  /** The address and port this server accepted the connection on (never from a header). */
  localAddress: string | undefined;
  localPort: number | undefined;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** `::ffff:127.0.0.1` → `127.0.0.1`; IPv6 gets brackets for use in a URL. */
function urlHost(address: string): string {
  const a = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIP(a) === 6 ? `[${a.toLowerCase()}]` : a.toLowerCase();
}

function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  return a === '::1' || /^127\./.test(a);
}

/**
 * `name[:port]` or `[v6][:port]`, lower case, port undefined when absent; undefined when it is not a plain
 * host (a path, a user, spaces, a bad port).
 */
export function parseHost(value: string | undefined): { name: string; port: number | undefined } | undefined {
  if (!value) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { name: m[1]!.toLowerCase(), port };
}

/**
 * The base (`scheme://host[:port][/path]`, no trailing slash) of absolute URLs in answers.
 *
 * - `publicUrl` configured: always that; nothing from the request is used (the production setting).
 * - Otherwise the Host header is used only when it names this server: the address the connection was
 *   accepted on (with its port), `localhost` on a loopback connection, the configured listen host name, or an
 *   entry of `allowedHosts`. Anything else (a spoofed Host) gets the accepted address itself, which the client
 *   demonstrably reached. The URL stays absolute either way: the contract wants `hlsUrl` to play in ffprobe
 *   with no further header, and a relative URL would not.
 */
export function publicBaseUrl(settings: PublicUrlSettings, req: RequestFacts): string {
  if (settings.publicUrl) return settings.publicUrl.replace(/\/+$/, '');
  const scheme = req.protocol === 'https' ? 'https' : 'http';
  const defaultPort = scheme === 'https' ? 443 : 80;
  const local = req.localAddress ? urlHost(req.localAddress) : urlHost(settings.listenHost);
  const localPort = req.localPort ?? defaultPort;
  const parsed = parseHost(req.host);
  const asked = parsed && { name: parsed.name, port: parsed.port ?? defaultPort };
  if (asked && hostIsOurs(asked, local, localPort, settings)) return `${scheme}://${formatHost(asked.name, asked.port, defaultPort)}`;
  return `${scheme}://${formatHost(local, localPort, defaultPort)}`;
}

function hostIsOurs(asked: { name: string; port: number }, local: string, localPort: number, settings: PublicUrlSettings): boolean {
  if (asked.port === localPort && asked.name === local) return true;
  if (asked.port === localPort && asked.name === 'localhost' && isLoopback(local)) return true;
  const listen = settings.listenHost.toLowerCase();
  if (asked.port === localPort && !WILDCARDS.has(listen) && asked.name === urlHost(listen)) return true;
  return settings.allowedHosts.some((entry) => {
    const allowed = parseHost(entry);
    return !!allowed && allowed.name === asked.name && (allowed.port === undefined || allowed.port === asked.port);
  });
}

function formatHost(name: string, port: number, defaultPort: number): string {
  return port === defaultPort ? name : `${name}:${port}`;
}

/** http.allowedHosts as a list. */
export function parseAllowedHosts(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
