import { findJsonProblem, hasNul, INCIDENT_TYPES, IncidentType, readCsvTable } from '@tiergate/domain';

/**
 * Pure parsing of incident import files (no I/O, no framework): CSV with the header
 * `id,type,occurred_at,lat,lon` (columns in any order, extra columns ignored) or a GeoJSON
 * FeatureCollection of Points with properties `{id, type, occurred_at}`. Every problem becomes a
 * `{line, message}` entry; for GeoJSON `line` is the 1-based feature number.
 */

export type IncidentFileFormat = 'csv' | 'geojson';

export interface ParsedIncident {
  /** CSV: the physical line of the record (the header is line 1). GeoJSON: the feature number. */
  line: number;
  id: string;
  type: IncidentType;
  occurredAt: Date;
  lat: number;
  lon: number;
}

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedIncidentFile {
  rows: ParsedIncident[];
  errors: RowError[];
}

export const MAX_INCIDENT_ID_LENGTH = 64;
const REQUIRED_COLUMNS = ['id', 'type', 'occurred_at', 'lat', 'lon'] as const;
const TYPE_SET: ReadonlySet<string> = new Set(INCIDENT_TYPES);

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (y: number, m: number): number => (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]);

/**
 * An ISO 8601 date-time that names its offset (`Z` or `±hh:mm`), checked for real calendar dates
 * (2026-02-30 is refused). Returns an error message instead of a Date when it is not one.
 */
export function parseIsoInstant(text: string): Date | string {
  const m = ISO_RE.exec(text.trim());
  if (!m) return `occurred_at "${clip(text)}" is not an ISO 8601 date-time with an offset or Z (e.g. 2026-03-01T18:30:00+08:00)`;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const y = +ys;
  const mo = +mos;
  const d = +ds;
  const h = +hs;
  const mi = +mis;
  const s = ss === undefined ? 0 : +ss;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return `occurred_at "${clip(text)}" is not a calendar date`;
  if (h > 23 || mi > 59 || s > 59) return `occurred_at "${clip(text)}" is not a valid time of day`;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = +digits.slice(2);
    if (oh > 14 || om > 59) return `occurred_at "${clip(text)}" has an invalid UTC offset`;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac === undefined ? 0 : Math.floor(+`0.${frac}` * 1000);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000);
  if (y < 1000 || !Number.isFinite(date.getTime())) return `occurred_at "${clip(text)}" is out of range`;
  return date;
}

function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function coordinate(raw: unknown, name: 'lat' | 'lon'): number | string {
  const limit = name === 'lat' ? 90 : 180;
  let v: number;
  if (typeof raw === 'number') v = raw;
  else if (typeof raw === 'string' && DECIMAL_RE.test(raw.trim())) v = Number(raw.trim());
  else return `${name} "${clip(String(raw ?? ''))}" is not a number`;
  if (!Number.isFinite(v) || v < -limit || v > limit) return `${name} ${v} is out of range [-${limit}, ${limit}]`;
  return v;
}

/** Validates one record's fields; returns the incident or the messages of what is wrong. */
function validateRecord(line: number, raw: { id: unknown; type: unknown; occurred_at: unknown; lat: unknown; lon: unknown }): ParsedIncident | string[] {
  const problems: string[] = [];
  const id = typeof raw.id === 'number' && Number.isFinite(raw.id) ? String(raw.id) : typeof raw.id === 'string' ? raw.id.trim() : '';
  if (id === '') problems.push('id is missing');
  else if (id.length > MAX_INCIDENT_ID_LENGTH) problems.push(`id is longer than ${MAX_INCIDENT_ID_LENGTH} characters`);
  const type = typeof raw.type === 'string' ? raw.type.trim() : '';
  if (!TYPE_SET.has(type)) problems.push(`type "${clip(String(raw.type ?? ''))}" is not one of ${INCIDENT_TYPES.join(', ')}`);
  const occurredAt = typeof raw.occurred_at === 'string' ? parseIsoInstant(raw.occurred_at) : 'occurred_at is missing';
  if (typeof occurredAt === 'string') problems.push(occurredAt);
  const lat = coordinate(raw.lat, 'lat');
  if (typeof lat === 'string') problems.push(lat);
  const lon = coordinate(raw.lon, 'lon');
  if (typeof lon === 'string') problems.push(lon);
  if (problems.length > 0) return problems;
  return { line, id, type: type as IncidentType, occurredAt: occurredAt as Date, lat: lat as number, lon: lon as number };
}

/** Marks every repeated id (after its first use) as a bad row. */
function rejectDuplicates(rows: ParsedIncident[], errors: RowError[]): ParsedIncident[] {
  const firstLine = new Map<string, number>();
  const kept: ParsedIncident[] = [];
  for (const row of rows) {
    const first = firstLine.get(row.id);
    if (first !== undefined) {
      errors.push({ line: row.line, message: `id "${clip(row.id)}" is repeated (first on line ${first})` });
      continue;
    }
    firstLine.set(row.id, row.line);
    kept.push(row);
  }
  return kept;
}

/** Throws IMPORT_FAILED (the line, in the user's words) when the text is not CSV at all; see readCsvTable. */
export function parseIncidentCsv(text: string): ParsedIncidentFile {
  const { header, rows: records } = readCsvTable(text);
  if (!header) return { rows: [], errors: [{ line: 1, message: 'the file is empty: expected the header id,type,occurred_at,lat,lon' }] };
  const names = header.names;
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    return { rows: [], errors: [{ line: header.line, message: `the header lacks the column(s) ${missing.join(', ')} (expected id,type,occurred_at,lat,lon)` }] };
  }
  const col = Object.fromEntries(REQUIRED_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof REQUIRED_COLUMNS)[number], number>;
  const rows: ParsedIncident[] = [];
  const errors: RowError[] = [];
  for (const { line, fields } of records) {
    if (fields.length < names.length) {
      errors.push({ line, message: `expected ${names.length} fields, found ${fields.length}` });
      continue;
    }
    const nul = fields.findIndex(hasNul);
    if (nul >= 0) {
      errors.push({ line, message: `${names[nul] || `field ${nul + 1}`} must not contain a NUL character` });
      continue;
    }
    const result = validateRecord(line, {
      id: fields[col.id],
      type: fields[col.type],
      occurred_at: fields[col.occurred_at],
      lat: fields[col.lat],
      lon: fields[col.lon],
    });
    if (Array.isArray(result)) errors.push({ line, message: result.join('; ') });
    else rows.push(result);
  }
  return { rows: rejectDuplicates(rows, errors), errors: sortErrors(errors) };
}

/** Parses a GeoJSON FeatureCollection of Points (text or an already parsed object). */
export function parseIncidentGeoJson(input: string | unknown): ParsedIncidentFile {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
    } catch {
      return { rows: [], errors: [{ line: 0, message: 'the file is not valid JSON' }] };
    }
  }
  const problem = findJsonProblem(doc);
  if (problem) return { rows: [], errors: [{ line: 0, message: `${problem.path}: ${problem.message}` }] };
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return { rows: [], errors: [{ line: 0, message: 'expected a GeoJSON FeatureCollection with a features array' }] };
  }
  const rows: ParsedIncident[] = [];
  const errors: RowError[] = [];
  fc.features.forEach((feature: unknown, index: number) => {
    const line = index + 1;
    const f = feature as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null };
    if (!f || typeof f !== 'object' || f.type !== 'Feature') {
      errors.push({ line, message: `feature ${line} is not a GeoJSON Feature` });
      return;
    }
    const coords = f.geometry?.coordinates;
    if (f.geometry?.type !== 'Point' || !Array.isArray(coords) || coords.length < 2) {
      errors.push({ line, message: `feature ${line}: geometry must be a Point [lon, lat]` });
      return;
    }
    const p = f.properties ?? {};
    const result = validateRecord(line, {
      id: p.id,
      type: p.type,
      occurred_at: p.occurred_at,
      lon: typeof coords[0] === 'number' ? coords[0] : String(coords[0]),
      lat: typeof coords[1] === 'number' ? coords[1] : String(coords[1]),
    });
    if (Array.isArray(result)) errors.push({ line, message: `feature ${line}: ${result.join('; ')}` });
    else rows.push(result);
  });
  return { rows: rejectDuplicates(rows, errors), errors: sortErrors(errors) };
}

export function parseIncidentFile(content: string | unknown, format: IncidentFileFormat): ParsedIncidentFile {
  return format === 'csv' ? parseIncidentCsv(String(content)) : parseIncidentGeoJson(content);
}

/** Guesses the format of an uploaded file from its media type, name and first character. */
export function detectIncidentFormat(mediaType: string | undefined, fileName: string | undefined, content: string): IncidentFileFormat {
  const type = (mediaType ?? '').toLowerCase();
  const name = (fileName ?? '').toLowerCase();
  if (type.includes('json') || name.endsWith('.geojson') || name.endsWith('.json')) return 'geojson';
  if (type.includes('csv') || name.endsWith('.csv')) return 'csv';
  return content.trimStart().replace(/^\uFEFF/, '').startsWith('{') ? 'geojson' : 'csv';
}

function sortErrors(errors: RowError[]): RowError[] {
  return errors.sort((a, b) => a.line - b.line);
}
