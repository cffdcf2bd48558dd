import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_SCHEMA, ENV_ALIASES, TiergateConfig } from './config.schema';

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

function coerce(key: string, raw: unknown, problems: string[]): unknown {
  const kind = CONFIG_SCHEMA[key];
  const bad = (why: string) => {
    problems.push(`${key}: ${why}`);
    return undefined;
  };
  switch (kind.t) {
    case 'string': {
      const s = raw === null || raw === undefined ? '' : String(raw);
      if (s === '' && !kind.allowEmpty) return bad('must not be empty');
      if (s !== '' && kind.pattern && !kind.pattern.test(s)) return bad(`must be ${kind.hint ?? `like ${kind.pattern}`}`);
      return s;
    }
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) return bad(`must be an integer, got ${JSON.stringify(raw)}`);
      if (n < kind.min || n > kind.max) return bad(`must be between ${kind.min} and ${kind.max}, got ${n}`);
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
      return bad(`must be true/false or 1/0, got ${JSON.stringify(raw)}`);
    }
    case 'intList': {
      const items = Array.isArray(raw) ? raw : String(raw).split(',').map((s) => s.trim()).filter(Boolean);
      const nums = items.map((i) => Number(i));
      if (nums.some((n) => !Number.isInteger(n) || n < kind.min || n > kind.max)) {
        return bad(`must be a list of integers between ${kind.min} and ${kind.max}`);
      }
      return nums;
    }
    case 'enum':
      if (!kind.values.includes(String(raw))) return bad(`must be one of ${kind.values.join(', ')}`);
      return String(raw);
  }
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
  const layers: Flat[] = [];
  const readYaml = (file: string) => {
    try {
      layers.push(flatten(parse(readFileSync(file, 'utf8')) ?? {}));
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  readYaml(join(dir, 'default.yaml'));
  if (env.TIERGATE_CONFIG) readYaml(env.TIERGATE_CONFIG);
  if (options.defaults) layers.push(options.defaults);

  const fromEnv: Flat = {};
  for (const [name, key] of Object.entries(ENV_ALIASES)) {
    if (env[name] !== undefined) fromEnv[key] = env[name];
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TIERGATE__') || value === undefined) continue;
    const key = name.slice('TIERGATE__'.length).toLowerCase().split('__').map(camel).join('.');
    const known = Object.keys(CONFIG_SCHEMA).find((k) => k.toLowerCase() === key.toLowerCase());
    if (!known) problems.push(`${name}: unknown configuration key`);
    else fromEnv[known] = value;
  }
  layers.push(fromEnv);
  if (options.overrides) layers.push(options.overrides);

  const merged: Flat = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (!(key in CONFIG_SCHEMA)) problems.push(`${key}: unknown configuration key`);
      else merged[key] = value;
    }
  }
  const result: Flat = {};
  for (const key of Object.keys(CONFIG_SCHEMA)) {
    const value = coerce(key, merged[key] ?? (CONFIG_SCHEMA[key].t === 'string' ? '' : undefined), problems);
    if (value !== undefined) result[key] = value;
  }
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return unflatten(result);
}

function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Whether this configuration runs the embedded infrastructure (PGlite, in-process broker). */
export const usesEmbeddedDatabase = (c: TiergateConfig) => c.database.url === '';
export const usesEmbeddedBroker = (c: TiergateConfig) => c.mqtt.url === '';
