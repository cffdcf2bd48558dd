import { hasNul, readCsvTable, redactUrl } from '@tiergate/domain';
import { parseCameraUrl } from './camera-url';

/**
 * Pure parsing of camera import CSV (tokenised by readCsvTable: RFC 4180, BOM, CRLF or LF) with the header
 * `name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url` (columns in any order, names
 * case-insensitive). Every problem becomes `{line, message}` with the physical line where the record
 * starts (the header is line 1); messages never contain a password.
 */

export const CAMERA_CSV_COLUMNS = ['name', 'lat', 'lon', 'tags', 'onvif_host', 'onvif_port', 'username', 'password', 'rtsp_url'] as const;
export const MAX_TAGS = 32;
export const MAX_TAG_LENGTH = 64;

export interface CameraCsvRow {
  line: number;
  name: string;
  location?: { lat: number; lon: number };
  tags: string[];
  onvif?: { host: string; port: number };
  /** RTSP URL without credentials. */
  rtspUrl?: string;
  username?: string;
  password?: string;
}

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedCameraCsv {
  rows: CameraCsvRow[];
  errors: RowError[];
}

const HOST_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9a-fA-F:.]+\]$/;
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Throws IMPORT_FAILED (the line, in the user's words) when the text is not CSV at all; see readCsvTable. */
export function parseCameraCsv(text: string): ParsedCameraCsv {
  const { header, rows: records } = readCsvTable(text);
  if (!header) return { rows: [], errors: [{ line: 1, message: `the file is empty; expected the header ${CAMERA_CSV_COLUMNS.join(',')}` }] };
  const names = header.names;
  const missing = CAMERA_CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    return { rows: [], errors: [{ line: header.line, message: `header lacks the column(s) ${missing.join(', ')}; expected ${CAMERA_CSV_COLUMNS.join(',')}` }] };
  }
  const index = Object.fromEntries(CAMERA_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof CAMERA_CSV_COLUMNS)[number], number>;
  const rows: CameraCsvRow[] = [];
  const errors: RowError[] = [];
  for (const record of records) {
    const get = (c: (typeof CAMERA_CSV_COLUMNS)[number]): string => (record.fields[index[c]] ?? '').trim();
    const problems: string[] = [];
    if (record.fields.length !== names.length) problems.push(`has ${record.fields.length} fields, the header has ${names.length}`);
    // Postgres cannot store NUL in text: refused here, naming the column, rather than a 500 at the insert
    record.fields.forEach((f, k) => {
      if (hasNul(f)) problems.push(`${names[k] || `field ${k + 1}`} must not contain a NUL character`);
    });
    const row = parseRow(get, record.line, problems);
    if (problems.length > 0) errors.push({ line: record.line, message: problems.join('; ') });
    else rows.push(row);
  }
  return { rows, errors };
}

function parseRow(get: (c: (typeof CAMERA_CSV_COLUMNS)[number]) => string, line: number, problems: string[]): CameraCsvRow {
  const name = get('name');
  if (!name) problems.push('name is empty');
  else if (name.length > 200) problems.push('name is longer than 200 characters');
  const row: CameraCsvRow = { line, name, tags: [] };

  const [latText, lonText] = [get('lat'), get('lon')];
  if (latText || lonText) {
    const lat = DECIMAL_RE.test(latText) ? Number(latText) : NaN;
    const lon = DECIMAL_RE.test(lonText) ? Number(lonText) : NaN;
    if (!(lat >= -90 && lat <= 90)) problems.push(`lat "${clip(latText)}" is not a latitude (-90..90)`);
    if (!(lon >= -180 && lon <= 180)) problems.push(`lon "${clip(lonText)}" is not a longitude (-180..180)`);
    if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) row.location = { lat, lon };
  }

  const tags = [...new Set(get('tags').split(';').map((t) => t.trim()).filter((t) => t.length > 0))];
  if (tags.length > MAX_TAGS) problems.push(`more than ${MAX_TAGS} tags`);
  if (tags.some((t) => t.length > MAX_TAG_LENGTH)) problems.push(`a tag is longer than ${MAX_TAG_LENGTH} characters`);
  row.tags = tags;

  const host = get('onvif_host');
  const portText = get('onvif_port');
  if (host) {
    if (!HOST_RE.test(host)) problems.push(`onvif_host "${clip(host)}" is not a host name or IP address`);
    const port = portText === '' ? 80 : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) problems.push(`onvif_port "${clip(portText)}" is not a port (1..65535)`);
    else row.onvif = { host, port };
  } else if (portText) problems.push('onvif_port is given without onvif_host');

  const username = get('username');
  const password = get('password');
  if (username.length > 128) problems.push('username is longer than 128 characters');
  if (password.length > 256) problems.push('password is longer than 256 characters');
  if (username) row.username = username;
  if (password) row.password = password;

  const rtsp = get('rtsp_url');
  if (rtsp) {
    const parsed = parseCameraUrl(rtsp);
    if ('error' in parsed) problems.push(`rtsp_url: ${parsed.error}`);
    else {
      row.rtspUrl = parsed.url;
      if (parsed.username && !row.username) row.username = parsed.username;
      if (parsed.password && !row.password) row.password = parsed.password;
    }
  }
  if (!host && !rtsp) problems.push('give onvif_host or rtsp_url');
  if (host && !row.username) problems.push('username is required with onvif_host');
  return row;
}

const clip = (s: string): string => redactUrl(s.length > 40 ? `${s.slice(0, 40)}…` : s);
