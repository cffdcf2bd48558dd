import type { HelmetOptions } from 'helmet';
import { usesEmbeddedDatabase, type TiergateConfig } from '@tiergate/config';

type Directives = Record<string, string[]>;

/** The origin (`scheme://host[:port]`) of an http(s) URL or URL template such as a tile URL; undefined if none. */
export function originOf(url: string): string | undefined {
  if (!url) return undefined;
  // Tile templates carry {s}/{z}/{x}/{y}; `{s}` in the host stands for any sub-domain.
  const m = /^(https?):\/\/([^/?#]+)/i.exec(url.trim());
  if (!m) return undefined;
  const host = m[2]!.toLowerCase().replace(/\{s\}/g, '*');
  if (!/^[a-z0-9*.:[\]-]+$/.test(host)) return undefined;
  return `${m[1]!.toLowerCase()}://${host}`;
}

/**
 * The Content-Security-Policy of the console and the API: scripts, styles and connections only from this
 * origin; no inline script, no eval, no inline style attribute parsed from markup (the console sets styles
 * through the CSSOM, which CSP allows); images also from data:/blob: (Leaflet, snapshots) and the configured
 * tile server; media and workers also from blob: (hls.js feeds MSE from blob URLs and runs its worker from one).
 */
export function contentSecurityPolicy(config: TiergateConfig): Directives {
  const tiles = originOf(config.console.tileUrl);
  const publicOrigin = originOf(config.http.publicUrl);
  const mediaOrigin = originOf(config.transcoder.staticMediaUrl); // static-media mode: hls.js loads segments there
  const self = ["'self'"];
  return {
    'default-src': self,
    'script-src': self,
    'script-src-attr': ["'none'"],
    'style-src': self,
    'style-src-attr': ["'none'"],
    'img-src': [...self, 'data:', 'blob:', ...(tiles ? [tiles] : [])],
    'media-src': [...self, 'blob:'],
    'worker-src': [...self, 'blob:'],
    // hlsUrl and mseUrl are absolute on the public URL (mseUrl as ws/wss): when the console is opened under another
    // name, hls.js and the MSE WebSocket still reach them. 'self' covers same-origin ws/wss (CSP Level 3).
    'connect-src': [...self, ...(publicOrigin ? [publicOrigin, publicOrigin.replace(/^http/, 'ws')] : []), ...(mediaOrigin ? [mediaOrigin] : [])],
    'font-src': self,
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': self,
    'frame-ancestors': ["'none'"],
  };
}

/**
 * Swagger UI's page carries two inline <style> blocks (scripts are files): its policy allows inline styles and
 * nothing else beyond the console's. The document holds no user data.
 */
export function docsContentSecurityPolicy(config: TiergateConfig): Directives {
  return { ...contentSecurityPolicy(config), 'style-src': ["'self'", "'unsafe-inline'"], 'style-src-attr': ["'unsafe-inline'"] };
}

/** Serialises directives as a header value. */
export function cspHeader(directives: Directives): string {
  return Object.entries(directives).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/**
 * Helmet, strictly: the CSP above, `Referrer-Policy: no-referrer` (stream and login tokens are in URLs),
 * `X-Frame-Options: DENY` for browsers without frame-ancestors, `nosniff`, same-origin COOP/CORP, and HSTS
 * only when the public URL is https (over plain http browsers ignore it, and a LAN install may have no TLS).
 */
export function helmetOptions(config: TiergateConfig, directives: Directives = contentSecurityPolicy(config)): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    xContentTypeOptions: true,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: config.http.publicUrl.startsWith('https:') ? { maxAge: 31536000, includeSubDomains: true } : false,
    xPermittedCrossDomainPolicies: { permittedPolicies: 'none' },
    xDnsPrefetchControl: { allow: false },
    xXssProtection: true,
  };
}

/** Whether /api/docs is served: `auto` serves it in embedded or demo mode only (a development or trial install). */
export function docsEnabled(config: TiergateConfig): boolean {
  if (config.http.docs === 'auto') return usesEmbeddedDatabase(config) || config.demo.enabled;
  return config.http.docs === 'on';
}

/**
 * Express's `trust proxy` value: false (the socket address is the client, X-Forwarded-* ignored) unless
 * http.trustProxy names the proxies.
 */
export function trustProxySetting(config: TiergateConfig): false | string[] {
  const list = config.http.trustProxy.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length ? list : false;
}
