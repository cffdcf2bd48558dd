import type { ErrorCode } from '../errors';
import { TiergateError } from '../errors';
import type { BoundaryLimits, Geometry, MultiPolygon, Polygon } from '../geo';
import { countPositions, DEFAULT_MAX_VERTICES_PER_FEATURE, validateBoundary } from '../geo';
import type { JurisdictionNode } from './jurisdiction-node.types';

export interface JurisdictionImportItem {
  /** Index of the feature in the file (0-based). */
  featureIndex: number;
  code: string;
  name: string;
  tier: string;
  /** Null for a top-level jurisdiction. */
  parentCode: string | null;
  boundary: Polygon | MultiPolygon;
  action: 'create' | 'update';
  /** Id of the stored node an update applies to; null for a create. */
  existingId: string | null;
  /** False only for an update that would store exactly what is already stored. */
  changed: boolean;
}

export interface JurisdictionImportPlan {
  creates: JurisdictionImportItem[];
  updates: JurisdictionImportItem[];
  /** Every item, parents before children (then by feature index). */
  order: JurisdictionImportItem[];
}

export interface JurisdictionImportProblem {
  feature: number;
  code: ErrorCode;
  message: string;
}

const MAX_CODE = 64;
const MAX_NAME = 200;
const MAX_TIER = 50;
const MAX_REPORTED_IN_MESSAGE = 10;
/** Default cap on the positions of all boundaries of one import; see docs/jurisdiction-boundaries.md. */
export const DEFAULT_MAX_VERTICES_PER_IMPORT = 200_000;

/** A feature's place in the hierarchy, known before its geometry is read. */
export interface JurisdictionImportHeader {
  featureIndex: number;
  code: string;
  parentCode: string | null;
}

export interface JurisdictionImportOptions {
  /**
   * Called with every feature whose properties parse, before any geometry is read or checked: throw to
   * refuse the import (authorization first, so a refused caller costs no geometry work).
   */
  authorize?: (headers: readonly JurisdictionImportHeader[]) => void;
  /** Positions per boundary (default DEFAULT_MAX_VERTICES_PER_FEATURE). */
  maxVerticesPerFeature?: number;
  /** Positions of all boundaries together (default DEFAULT_MAX_VERTICES_PER_IMPORT). */
  maxVerticesPerImport?: number;
}

type Parsed = Omit<JurisdictionImportItem, 'action' | 'existingId' | 'changed'>;

/** Takes the `features` of a GeoJSON FeatureCollection, or throws VALIDATION_FAILED. */
export function featuresOf(body: unknown): unknown[] {
  const fc = body as { type?: unknown; features?: unknown } | null;
  if (typeof fc !== 'object' || fc === null || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new TiergateError('VALIDATION_FAILED', 'body must be a GeoJSON FeatureCollection with a features array');
  }
  return fc.features;
}

/** A code may be a string or a safe integer (numbers beyond 2^53 already lost digits in JSON.parse). */
function readCode(value: unknown, field: string, required: boolean, fail: (m: string) => void): string | null | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) fail(`properties.${field} is missing`);
    return required ? undefined : null;
  }
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) text = String(value);
  else {
    fail(`properties.${field} must be a string${typeof value === 'number' ? ' (a long numeric code must be quoted to keep its digits)' : ''}`);
    return undefined;
  }
  if (text === '') {
    if (required) fail(`properties.${field} is empty`);
    return required ? undefined : null;
  }
  if (text.length > MAX_CODE) {
    fail(`properties.${field} is longer than ${MAX_CODE} characters`);
    return undefined;
  }
  return text;
}

function readText(value: unknown, field: string, max: number, fail: (m: string) => void): string | undefined {
  if (value === undefined || value === null) return void fail(`properties.${field} is missing`);
  if (typeof value !== 'string') return void fail(`properties.${field} must be a string`);
  const text = value.trim();
  if (text === '') return void fail(`properties.${field} is empty`);
  if (text.length > max) return void fail(`properties.${field} is longer than ${max} characters`);
  return text;
}

type ParsedProperties = Omit<Parsed, 'boundary'> & { geometry: unknown };

/** The properties of one feature (cheap: no geometry is read), or undefined with its problems recorded. */
function parseProperties(feature: unknown, index: number, problems: JurisdictionImportProblem[]): ParsedProperties | undefined {
  const before = problems.length;
  const fail = (code: ErrorCode) => (message: string) => void problems.push({ feature: index, code, message: `feature ${index}: ${message}` });
  const f = feature as { type?: unknown; properties?: unknown; geometry?: unknown } | null;
  if (typeof f !== 'object' || f === null || Array.isArray(f) || f.type !== 'Feature') {
    fail('VALIDATION_FAILED')('not a GeoJSON Feature');
    return undefined;
  }
  const props = (typeof f.properties === 'object' && f.properties !== null ? f.properties : {}) as Record<string, unknown>;
  if (typeof f.properties !== 'object' || f.properties === null) fail('VALIDATION_FAILED')('properties is missing');
  const code = readCode(props.code, 'code', true, fail('VALIDATION_FAILED'));
  const name = readText(props.name, 'name', MAX_NAME, fail('VALIDATION_FAILED'));
  const tier = readText(props.tier, 'tier', MAX_TIER, fail('VALIDATION_FAILED'));
  const parentCode = readCode(props.parentCode, 'parentCode', false, fail('VALIDATION_FAILED'));
  if (f.geometry === undefined || f.geometry === null) fail('INVALID_GEOMETRY')('geometry is missing');
  if (problems.length > before || !code || !name || !tier || parentCode === undefined) return undefined;
  if (parentCode === code) {
    fail('TREE_CYCLE')(`code ${code} names itself as its parent`);
    return undefined;
  }
  return { featureIndex: index, code, name, tier, parentCode, geometry: f.geometry };
}

/**
 * The code and parentCode of every feature whose properties parse, without reading any geometry: what an
 * authorization check needs before the import costs anything (problems are left to the full plan).
 */
export function importHeadersOf(features: readonly unknown[]): JurisdictionImportHeader[] {
  const ignored: JurisdictionImportProblem[] = [];
  const headers: JurisdictionImportHeader[] = [];
  features.forEach((feature, index) => {
    const item = parseProperties(feature, index, ignored);
    if (item) headers.push({ featureIndex: item.featureIndex, code: item.code, parentCode: item.parentCode });
  });
  return headers;
}

/** The feature's checked boundary, or undefined with the problem recorded (the expensive part of planning). */
function parseGeometry(item: ParsedProperties, limits: BoundaryLimits, problems: JurisdictionImportProblem[]): Parsed | undefined {
  try {
    const { geometry, ...rest } = item;
    return { ...rest, boundary: validateBoundary(geometry, limits) };
  } catch (e) {
    if (!(e instanceof TiergateError)) throw e;
    problems.push({ feature: item.featureIndex, code: e.code, message: `feature ${item.featureIndex}: geometry: ${e.message}` });
    return undefined;
  }
}

function rawCode(feature: unknown): string | undefined {
  const code = (feature as { properties?: { code?: unknown } } | null)?.properties?.code;
  return typeof code === 'string' ? code.trim() : typeof code === 'number' ? String(code) : undefined;
}

function sameNumbers(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameNumbers(v, b[i]));
  return a === b;
}

function sameGeometry(a: Geometry | null, b: Geometry): boolean {
  return a !== null && a.type === b.type && sameNumbers(a.coordinates, b.coordinates);
}

function failure(problems: JurisdictionImportProblem[]): TiergateError {
  const problemCodes = new Set(problems.map((p) => p.code));
  const code: ErrorCode = problemCodes.size === 1 ? problems[0].code : 'IMPORT_FAILED';
  const shown = problems.slice(0, MAX_REPORTED_IN_MESSAGE).map((p) => p.message);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new TiergateError(
    code,
    `jurisdiction import rejected, ${problems.length} problem(s): ${shown.join('; ')}${more}`,
    { errors: problems.map(({ feature, code: c, message }) => ({ feature, code: c, message })) },
  );
}

/**
 * Plans an all-or-nothing jurisdiction import from GeoJSON features (any order). Every feature is
 * checked and all problems are reported together in one TiergateError whose `details.errors` lists
 * `{feature, code, message}`. Codes identify jurisdictions: a code already stored is an update.
 * Synchronous; `planJurisdictionImportAsync` does the same work and lets the event loop run between features.
 */
export function planJurisdictionImport(
  existing: readonly JurisdictionNode[],
  features: readonly unknown[],
  options: JurisdictionImportOptions = {},
): JurisdictionImportPlan {
  const steps = planSteps(existing, features, options);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** `planJurisdictionImport`, awaiting `pause()` after each feature's geometry (e.g. `setImmediate`). */
export async function planJurisdictionImportAsync(
  existing: readonly JurisdictionNode[],
  features: readonly unknown[],
  options: JurisdictionImportOptions & { pause: () => Promise<void> },
): Promise<JurisdictionImportPlan> {
  const steps = planSteps(existing, features, options);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await options.pause();
  }
}

function* planSteps(existing: readonly JurisdictionNode[], features: readonly unknown[], options: JurisdictionImportOptions): Generator<void, JurisdictionImportPlan> {
  if (!Array.isArray(features) || features.length === 0) {
    throw new TiergateError('VALIDATION_FAILED', 'the import contains no features', { errors: [] });
  }
  const problems: JurisdictionImportProblem[] = [];
  const headers: ParsedProperties[] = [];
  const firstIndexOfCode = new Map<string, number>();
  features.forEach((feature, index) => {
    const item = parseProperties(feature, index, problems);
    if (!item) return;
    const earlier = firstIndexOfCode.get(item.code);
    if (earlier !== undefined) {
      problems.push({ feature: index, code: 'VALIDATION_FAILED', message: `feature ${index}: code ${item.code} duplicates feature ${earlier}` });
      return;
    }
    firstIndexOfCode.set(item.code, index);
    headers.push(item);
  });
  options.authorize?.(headers.map(({ featureIndex, code, parentCode }) => ({ featureIndex, code, parentCode })));
  const perFeature = options.maxVerticesPerFeature ?? DEFAULT_MAX_VERTICES_PER_FEATURE;
  const perImport = options.maxVerticesPerImport ?? DEFAULT_MAX_VERTICES_PER_IMPORT;
  let total = 0;
  for (const item of headers) {
    const g = item.geometry as { type?: unknown; coordinates?: unknown };
    if (g?.type === 'Polygon' || g?.type === 'MultiPolygon') total += countPositions(g.type, g.coordinates, perImport);
    if (total > perImport) {
      throw new TiergateError('PAYLOAD_TOO_LARGE', `jurisdiction import rejected: its boundaries have more than ${perImport} positions (the limit per import); split the file`);
    }
  }
  const parsed: Parsed[] = [];
  for (const header of headers) {
    const item = parseGeometry(header, { maxVertices: perFeature }, problems);
    if (item) parsed.push(item);
    yield;
  }

  const existingById = new Map(existing.map((n) => [n.id, n]));
  const existingByCode = new Map(existing.map((n) => [n.code, n]));
  // The hierarchy after the import: stored parent links, overridden by the file.
  const parentOf = new Map<string, string | null>();
  for (const n of existing) parentOf.set(n.code, n.parentId === null ? null : (existingById.get(n.parentId)?.code ?? null));
  for (const item of parsed) parentOf.set(item.code, item.parentCode);

  // Codes present in the file even on features rejected for another reason: not "unknown" parents.
  const fileCodes = new Set(features.map((f) => rawCode(f)).filter((c): c is string => c !== undefined));
  for (const item of parsed) {
    if (item.parentCode !== null && !parentOf.has(item.parentCode) && !fileCodes.has(item.parentCode)) {
      problems.push({
        feature: item.featureIndex,
        code: 'UNKNOWN_PARENT',
        message: `feature ${item.featureIndex}: parentCode ${item.parentCode} is neither in the file nor stored`,
      });
    }
  }
  const depthOf = new Map<string, number>();
  for (const item of parsed) {
    const chain: string[] = [item.code];
    const seen = new Set(chain);
    let cursor = parentOf.get(item.code) ?? null;
    while (cursor !== null && !seen.has(cursor) && parentOf.has(cursor)) {
      chain.push(cursor);
      seen.add(cursor);
      cursor = parentOf.get(cursor) ?? null;
    }
    if (cursor === item.code) {
      problems.push({
        feature: item.featureIndex,
        code: 'TREE_CYCLE',
        message: `feature ${item.featureIndex}: code ${item.code} would be its own ancestor (${[...chain, item.code].join(' -> ')})`,
      });
    }
    depthOf.set(item.code, chain.length);
  }
  if (problems.length > 0) throw failure(problems.sort((a, b) => a.feature - b.feature));

  const items: JurisdictionImportItem[] = parsed.map((item) => {
    const stored = existingByCode.get(item.code);
    if (!stored) return { ...item, action: 'create', existingId: null, changed: true };
    const storedParentCode = stored.parentId === null ? null : (existingById.get(stored.parentId)?.code ?? null);
    const changed =
      stored.name !== item.name ||
      stored.tier !== item.tier ||
      storedParentCode !== item.parentCode ||
      !sameGeometry(stored.boundary, item.boundary);
    return { ...item, action: 'update', existingId: stored.id, changed };
  });
  const order = items.sort((a, b) => depthOf.get(a.code)! - depthOf.get(b.code)! || a.featureIndex - b.featureIndex);
  return { creates: order.filter((i) => i.action === 'create'), updates: order.filter((i) => i.action === 'update'), order };
}
