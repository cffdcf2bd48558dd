import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';

/** One file the console may serve: its absolute path and content type. */
export interface ConsoleAsset {
  readonly file: string;
  readonly contentType: string;
  /** Vendor files never change for a given install; console files may change between deploys. */
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** Folders of the console served as well (flat, one level): the language tables. */
export const CONSOLE_SUBDIRS = ['i18n'] as const;

/** URL prefixes the console never answers: they belong to the API, metrics and video delivery (HLS, the MSE WebSocket). */
export const RESERVED_PREFIXES = ['/api', '/metrics', '/hls', '/live', '/vod'] as const;

export function isReservedPath(path: string): boolean {
  return RESERVED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Finds apps/gateway/console: beside the sources (ts-jest, ts-node), else from the working directory
 * (the compiled build runs from dist/apps/gateway/src/console, which has no copy of the static files).
 */
export function locateConsoleDir(here: string = __dirname, cwd: string = process.cwd()): string {
  const candidates = [resolve(here, '..', '..', 'console'), resolve(cwd, 'apps', 'gateway', 'console')];
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!found) throw new Error(`console files not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * The exact set of URL paths the console serves, built once at start-up from a flat listing of the
 * console directory plus an allow-list of vendor files. Lookups are by exact key, so no request path
 * can reach a file outside this map (no traversal, no directory listing).
 */
export function buildAssetCatalogue(consoleDir: string, resolveModule: (id: string) => string = require.resolve): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  const add = (url: string, file: string, immutable: boolean) => {
    const contentType = TYPES[extname(file).toLowerCase()];
    if (contentType) assets.set(url, { file, contentType, immutable });
  };
  const addFlat = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isFile() && !name.startsWith('.')) add(`${prefix}/${name}`, file, false);
    }
  };
  addFlat(consoleDir, '');
  for (const sub of CONSOLE_SUBDIRS) if (existsSync(join(consoleDir, sub))) addFlat(join(consoleDir, sub), `/${sub}`);
  add('/vendor/hls.min.js', resolveModule('hls.js/dist/hls.min.js'), true);
  const leafletDist = dirname(resolveModule('leaflet/dist/leaflet.js'));
  add('/vendor/leaflet/leaflet.js', join(leafletDist, 'leaflet.js'), true);
  add('/vendor/leaflet/leaflet.css', join(leafletDist, 'leaflet.css'), true);
  for (const image of ['layers.png', 'layers-2x.png', 'marker-icon.png', 'marker-icon-2x.png', 'marker-shadow.png']) {
    add(`/vendor/leaflet/images/${image}`, join(leafletDist, 'images', image), true);
  }
  // Camera clusters on the map (docs/map.md): the script (a Leaflet plug-in, after leaflet.js) and its animation rules.
  const clusterDist = dirname(resolveModule('leaflet.markercluster/dist/leaflet.markercluster.js'));
  add('/vendor/leaflet.markercluster/leaflet.markercluster.js', join(clusterDist, 'leaflet.markercluster.js'), true);
  add('/vendor/leaflet.markercluster/MarkerCluster.css', join(clusterDist, 'MarkerCluster.css'), true);
  return assets;
}

/** What a GET for `path` gets: a known asset, the SPA shell (index.html), or nothing (let the router answer). */
export function resolveConsoleRequest(
  assets: ReadonlyMap<string, ConsoleAsset>,
  path: string,
  acceptsHtml: boolean,
): ConsoleAsset | undefined {
  if (isReservedPath(path)) return undefined;
  const exact = assets.get(path === '/' ? '/index.html' : path);
  if (exact) return exact;
  // Client-side routes: a path without an extension asked for by a browser gets the shell.
  if (acceptsHtml && !/\.[A-Za-z0-9]+$/.test(path)) return assets.get('/index.html');
  return undefined;
}
