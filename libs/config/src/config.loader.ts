import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { redactUrl } from '@tiergate/domain';
import { CONFIG_SCHEMA, ENV_ALIASES, Kind, type RecordingRootConfig, TiergateConfig } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Flat = Record<string, unknown>;

function flatten(value: unknown, prefix = '', out: Flat = {}): Flat {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}

/** Where a value came from, so a problem names what the user actually set. */
type Source = { kind: 'env'; name: string } | { kind: 'file'; file: string } | { kind: 'code' };

/** `PORT (http.port)`, `http.port (in /etc/tiergate.yaml)` or plain `http.port`. */
function subjectOf(key: string, source: Source | undefined): string {
  if (source?.kind === 'env') return `${source.name} (${key})`;
  if (source?.kind === 'file') return `${key} (in ${source.file})`;
  return key;
}

/** The offending value as the user wrote it; secrets are described, never echoed; URLs lose their password. */
function shown(kind: Kind, raw: unknown): string {
  const s = raw === null || raw === undefined ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (kind.t === 'string' && kind.secret) return `${s.length} character${s.length === 1 ? '' : 's'}`;
  return JSON.stringify(redactUrl(s.length > 200 ? `${s.slice(0, 200)}…` : s));
}

/** Validates one value against its schema entry; pushes one problem naming the key and its source. */
export function coerceValue(key: string, kind: Kind, raw: unknown, problems: string[], source?: Source): unknown {
  const bad = (why: string) => {
    problems.push(`${subjectOf(key, source)} ${why}, got ${shown(kind, raw)}`);
    return undefined;
  };
  switch (kind.t) {
    case 'string': {
      const s = raw === null || raw === undefined ? '' : String(raw);
      if (s === '' && !kind.allowEmpty) {
        problems.push(`${subjectOf(key, source)} must not be empty`);
        return undefined;
      }
      if (s !== '' && kind.pattern && !kind.pattern.test(s)) return bad(`must be ${kind.hint ?? `like ${kind.pattern}`}`);
      return s;
    }
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < kind.min || n > kind.max) return bad(`must be an integer ${kind.min}..${kind.max}${kind.hint ? ` (${kind.hint})` : ''}`);
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw ?? '').trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
      return bad('must be true/false or 1/0');
    }
    case 'intList': {
      const items = Array.isArray(raw) ? raw : String(raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const nums = items.map((i) => Number(i));
      if (nums.some((n) => !Number.isInteger(n) || n < kind.min || n > kind.max)) {
        return bad(`must be a comma-separated list of integers ${kind.min}..${kind.max}`);
      }
      return nums;
    }
    case 'bytes': {
      const n = parseByteSize(raw);
      return n === undefined ? bad('must be a byte count (an integer, or like 512m, 20g)') : n;
    }
    case 'roots': {
      const roots = parseRecordingRoots(raw);
      return typeof roots === 'string' ? bad(roots) : roots;
    }
    case 'enum':
      if (!kind.values.includes(String(raw))) return bad(`must be one of ${kind.values.join(', ')}`);
      return String(raw);
  }
}

const ROOT_ID = /^[A-Za-z0-9_-]{1,32}$/;
const SIZE = /^(\d+)\s*([kmgt]i?b?)?$/i;
const SIZE_UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** `20g`, `512MiB`, `1048576` or a number → bytes; undefined when not a size. */
export function parseByteSize(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  const m = typeof raw === 'string' ? SIZE.exec(raw.trim()) : null;
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? SIZE_UNITS[m[2][0]!.toLowerCase()]! : 1);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Recording roots from YAML (a list of {id, path, quotaBytes}), JSON text of the same, or the compact
 * environment form `r0=/srv/rec:20g,r1=/mnt/b:2t`; '' or [] is no root. A problem is returned as a string.
 */
export function parseRecordingRoots(raw: unknown): RecordingRootConfig[] | string {
  let items: unknown = raw ?? [];
  if (typeof items === 'string') {
    const text = items.trim();
    if (text === '') items = [];
    else if (text.startsWith('[')) {
      try {
        items = JSON.parse(text);
      } catch {
        return 'must be a JSON list of {id, path, quotaBytes}';
      }
    } else {
      items = text.split(',').map((part) => {
        const eq = part.indexOf('=');
        const colon = part.lastIndexOf(':');
        if (eq < 1 || colon < eq) return { id: part.trim() };
        return { id: part.slice(0, eq).trim(), path: part.slice(eq + 1, colon).trim(), quotaBytes: part.slice(colon + 1).trim() };
      });
    }
  }
  if (!Array.isArray(items)) return 'must be a list of {id, path, quotaBytes} or id=path:quota,…';
  const roots: RecordingRootConfig[] = [];
  for (const item of items as Record<string, unknown>[]) {
    const id = item?.id;
    const path = item?.path;
    const quotaBytes = parseByteSize(item?.quotaBytes);
    if (typeof id !== 'string' || !ROOT_ID.test(id)) return 'must give each root an id of letters, digits, - and _ (1..32)';
    if (typeof path !== 'string' || path === '') return `must give root ${id} a path`;
    if (quotaBytes === undefined || quotaBytes < 1) return `must give root ${id} a quotaBytes (bytes, or like 20g)`;
    if (roots.some((r) => r.id === id)) return `must not name root ${id} twice`;
    roots.push({ id, path, quotaBytes });
  }
  return roots;
}

function unflatten(flat: Flat): TiergateConfig {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts[parts.length - 1]] = value;
  }
  return out as TiergateConfig;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Directory holding default.yaml; defaults to <cwd>/config. */
  configDir?: string;
  /** Values applied over the file and under the environment (used by entry points for their own defaults). */
  defaults?: Record<string, unknown>;
  /** Values applied last (tests). */
  overrides?: Record<string, unknown>;
}

/**
 * Reads config/default.yaml, then an optional TIERGATE_CONFIG file, then environment variables, and
 * validates the result once. Throws one ConfigError naming every bad key.
 */
export function loadConfig(options: LoadConfigOptions = {}): TiergateConfig {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const dir = options.configDir ?? join(process.cwd(), 'config');
  const layers: { values: Flat; source: (key: string) => Source }[] = [];
  const readYaml = (file: string, setBy?: string) => {
    try {
      const values = flatten(parse(readFileSync(file, 'utf8')) ?? {});
      layers.push({ values, source: () => ({ kind: 'file', file }) });
    } catch (e) {
      problems.push(`${setBy ? `${setBy} ` : ''}${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  readYaml(join(dir, 'default.yaml'));
  if (env.TIERGATE_CONFIG) readYaml(env.TIERGATE_CONFIG, 'TIERGATE_CONFIG');
  if (options.defaults) layers.push({ values: options.defaults, source: () => ({ kind: 'code' }) });

  // Contract variables first; a TIERGATE__SECTION__KEY of the same key is more specific and wins.
  const fromEnv: Flat = {};
  const envName: Record<string, string> = {};
  for (const [name, key] of Object.entries(ENV_ALIASES)) {
    if (env[name] === undefined) continue;
    fromEnv[key] = env[name];
    envName[key] = name;
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TIERGATE__') || value === undefined) continue;
    const key = envKeyOf(name);
    const known = Object.keys(CONFIG_SCHEMA).find((k) => k.toLowerCase() === key.toLowerCase());
    if (!known) {
      problems.push(`${name} is not a configuration key (${key} is unknown; see config/default.yaml)`);
      continue;
    }
    fromEnv[known] = value;
    envName[known] = name;
  }
  layers.push({ values: fromEnv, source: (key) => ({ kind: 'env', name: envName[key] }) });
  if (options.overrides) layers.push({ values: options.overrides, source: () => ({ kind: 'code' }) });

  const merged: Flat = {};
  const sources: Record<string, Source> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      const source = layer.source(key);
      if (!(key in CONFIG_SCHEMA)) problems.push(`${subjectOf(key, source)} is not a configuration key`);
      else {
        merged[key] = value;
        sources[key] = source;
      }
    }
  }
  const result: Flat = {};
  for (const [key, kind] of Object.entries(CONFIG_SCHEMA)) {
    const value = coerceValue(key, kind, merged[key] ?? (kind.t === 'string' ? '' : undefined), problems, sources[key]);
    if (value !== undefined) result[key] = value;
  }
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return unflatten(result);
}

/** `TIERGATE__TRANSCODER__IDLE_CLOSE_MS` → `transcoder.idleCloseMs`. */
function envKeyOf(name: string): string {
  return name.slice('TIERGATE__'.length).toLowerCase().split('__').map(camel).join('.');
}

/** The environment variable that sets a key: its contract name when it has one, else TIERGATE__SECTION__KEY. */
export function envNameOf(key: string): string {
  const alias = Object.entries(ENV_ALIASES).find(([, k]) => k === key)?.[0];
  if (alias) return alias;
  return `TIERGATE__${key.split('.').map((p) => p.replace(/([A-Z])/g, '_$1')).join('__').toUpperCase()}`;
}

function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Whether this configuration runs the embedded infrastructure (PGlite, in-process broker). */
export const usesEmbeddedDatabase = (c: TiergateConfig) => c.database.url === '';
export const usesEmbeddedBroker = (c: TiergateConfig) => c.mqtt.url === '';
