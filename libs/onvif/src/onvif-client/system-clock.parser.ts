import { parseSoap } from '../soap/soap.envelope';
import { child, text } from '../soap/xml';

/** Pure reading of a GetSystemDateAndTime answer into the camera's idea of UTC. */

export interface CameraClock {
  /** The camera's current UTC time in ms since the epoch. */
  utcMs: number;
  /** How it was obtained: UTCDateTime, LocalDateTime minus the POSIX TZ offset, or LocalDateTime taken as UTC. */
  source: 'utc' | 'local+tz' | 'local-as-utc';
}

/** Offset of a POSIX TZ string (`CST-8`, `<+0530>-5:30`, `EST5EDT`) in ms to ADD to local time to get UTC. */
export function posixTzOffsetMs(tz: string): number | undefined {
  const m = /^(?:[A-Za-z]{3,}|<[^>]+>)([+-]?)(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(tz.trim());
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
}

function dateTimeMs(node: unknown): number | undefined {
  const t = child(node, 'Time');
  const d = child(node, 'Date');
  const n = (p: unknown, k: string): number => Number(text(child(p, k)));
  const v = Date.UTC(n(d, 'Year'), n(d, 'Month') - 1, n(d, 'Day'), n(t, 'Hour'), n(t, 'Minute'), n(t, 'Second'));
  return Number.isFinite(v) ? v : undefined;
}

export function parseSystemDateAndTime(xml: string): CameraClock | undefined {
  const msg = parseSoap(xml);
  const sdt = child(msg.payload, 'SystemDateAndTime');
  const utc = dateTimeMs(child(sdt, 'UTCDateTime'));
  if (child(sdt, 'UTCDateTime') !== undefined && utc !== undefined) return { utcMs: utc, source: 'utc' };
  const local = dateTimeMs(child(sdt, 'LocalDateTime'));
  if (child(sdt, 'LocalDateTime') === undefined || local === undefined) return undefined;
  const offset = posixTzOffsetMs(text(child(child(sdt, 'TimeZone'), 'TZ')) ?? '');
  return offset === undefined ? { utcMs: local, source: 'local-as-utc' } : { utcMs: local + offset, source: 'local+tz' };
}
