import { hasNul, readCsvTable, STOP_CHECK_RESULT_ALIASES, STOP_CHECK_RESULTS, StopCheckResult } from '@tiergate/domain';
import { parseIsoInstant, RowError } from '../incidents/incident-file.parser';

/**
 * Pure parsing of a stop-and-check log (docs/methods.md, "Stop-and-check capture rate"): CSV with the header
 * `time,place,jurisdiction_code,persons,vehicles,result` (columns in any order, extra columns ignored,
 * `jurisdiction_code` optional). One row is one stop-and-check. Every problem becomes a `{line, message}`.
 */

export interface ParsedStopCheck {
  /** Physical line of the record (the header is line 1). */
  line: number;
  checkedAt: Date;
  place: string;
  /** Set when `place` is `lat,lon`. */
  point?: { lat: number; lon: number };
  /** The log's own jurisdiction code, when given (it wins over the point). */
  jurisdictionCode?: string;
  persons: number;
  vehicles: number;
  result: StopCheckResult;
}

export const STOP_CHECK_HEADER = 'time,place,jurisdiction_code,persons,vehicles,result';
const REQUIRED = ['time', 'place', 'persons', 'vehicles', 'result'] as const;
export const MAX_PLACE_LENGTH = 500;
/** Persons or vehicles one stop-and-check may record. */
export const MAX_CHECKED = 10_000;
const POINT_RE = /^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$/;

export function parseStopCheckCsv(text: string): { rows: ParsedStopCheck[]; errors: RowError[] } {
  const { header, rows: records } = readCsvTable(text);
  if (!header) return { rows: [], errors: [{ line: 1, message: `the file is empty: expected the header ${STOP_CHECK_HEADER}` }] };
  const names = header.names;
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length > 0) return { rows: [], errors: [{ line: header.line, message: `the header lacks the column(s) ${missing.join(', ')} (expected ${STOP_CHECK_HEADER})` }] };
  const at = (fields: string[], name: string): string => {
    const i = names.indexOf(name);
    return i < 0 ? '' : (fields[i] ?? '').trim();
  };
  const rows: ParsedStopCheck[] = [];
  const errors: RowError[] = [];
  for (const { line, fields } of records) {
    if (fields.length < names.length) {
      errors.push({ line, message: `expected ${names.length} fields, found ${fields.length}` });
      continue;
    }
    if (fields.some(hasNul)) {
      errors.push({ line, message: 'a field contains a NUL character' });
      continue;
    }
    const problems: string[] = [];
    const time = parseIsoInstant(at(fields, 'time'));
    if (typeof time === 'string') problems.push(time.replace(/^occurred_at/, 'time'));
    const place = at(fields, 'place');
    if (place === '') problems.push('place is missing');
    else if (place.length > MAX_PLACE_LENGTH) problems.push(`place is longer than ${MAX_PLACE_LENGTH} characters`);
    const point = pointOf(place);
    if (typeof point === 'string') problems.push(point);
    const code = at(fields, 'jurisdiction_code');
    if (code === '' && point === undefined && place !== '') problems.push('without jurisdiction_code the place must be coordinates "lat,lon"');
    const persons = count(at(fields, 'persons'), 'persons');
    if (typeof persons === 'string') problems.push(persons);
    const vehicles = count(at(fields, 'vehicles'), 'vehicles');
    if (typeof vehicles === 'string') problems.push(vehicles);
    if (typeof persons === 'number' && typeof vehicles === 'number' && persons + vehicles === 0) problems.push('a stop-and-check checks at least one person or vehicle');
    const resultText = at(fields, 'result');
    const result = STOP_CHECK_RESULT_ALIASES[resultText.toLowerCase()];
    if (result === undefined) problems.push(`result "${clip(resultText)}" is not one of ${STOP_CHECK_RESULTS.join(', ')}`);
    if (problems.length > 0) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    rows.push({
      line,
      checkedAt: time as Date,
      place,
      ...(point && typeof point === 'object' ? { point } : {}),
      ...(code !== '' ? { jurisdictionCode: code } : {}),
      persons: persons as number,
      vehicles: vehicles as number,
      result: result!,
    });
  }
  return { rows, errors };
}

/** `lat,lon` → a point; a text place → undefined; coordinates out of range → a message. */
function pointOf(place: string): { lat: number; lon: number } | string | undefined {
  const m = POINT_RE.exec(place);
  if (!m) return undefined;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (lat < -90 || lat > 90) return `place latitude ${lat} is out of range [-90, 90]`;
  if (lon < -180 || lon > 180) return `place longitude ${lon} is out of range [-180, 180]`;
  return { lat, lon };
}

function count(text: string, name: string): number | string {
  if (!/^\d+$/.test(text)) return `${name} "${clip(text)}" is not a whole number`;
  const n = Number(text);
  return n > MAX_CHECKED ? `${name} ${n} is more than ${MAX_CHECKED}` : n;
}

function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
