import { CsvError, Options, parse } from 'csv-parse/sync';
import { TiergateError } from '../errors';

/**
 * Pure reading of an uploaded CSV file (RFC 4180, tokenised by csv-parse): the header and the records
 * after it, each with the physical line it starts on (1-based, the header's line included), for error
 * messages that point at the line a user sees in an editor.
 *
 * - A byte order mark is dropped; records end at CRLF, LF or a lone CR, mixed in one file as editors do.
 * - Quoted fields may hold commas, line breaks and doubled quotes (`""`).
 * - RFC 4180 quoting is strict: a quote inside an unquoted field (also after spaces: spaces are part of
 *   a field) and text after a closing quote are refused, naming the line, rather than read as a guess.
 * - Blank lines (nothing, or only spaces and tabs) are skipped; their lines still count.
 * - Records may have more or fewer fields than the header: the caller decides what that means.
 *
 * A file that is not CSV throws `IMPORT_FAILED` with `errors: [{line, message}]`, the envelope of every
 * import's row errors.
 */

export interface CsvRecord {
  /** Physical line the record starts on (a quoted field may carry it over several lines). */
  line: number;
  fields: string[];
}

export interface CsvTable {
  /** The first record; `names` trimmed and lower-cased for lookup by column name. Absent for an empty file. */
  header?: { line: number; names: string[] };
  rows: CsvRecord[];
}

const OPTIONS: Options = { bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true };

export function readCsvTable(text: string): CsvTable {
  let parsed: string[][];
  try {
    parsed = parse(text, OPTIONS);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw csvSyntaxError(lineAfter(text, error), error);
  }
  const records = withLines(parsed).filter((r) => !isBlank(r.fields));
  if (records.length === 0) return { rows: [] };
  const [first, ...rows] = records;
  return { header: { line: first.line, names: first.fields.map((f) => f.trim().toLowerCase()) }, rows };
}

/**
 * Each record with the line it starts on. Blank lines stay in csv-parse's output as `['']` records, so a
 * record starts one line after the previous one ends, and a record spans as many lines as its quoted
 * fields hold line breaks (kept verbatim in the values). No per-record callback: csv-parse builds an info
 * object for each, which cost half again the parse on a 100,000-row file.
 */
function withLines(parsed: string[][]): CsvRecord[] {
  let line = 1;
  return parsed.map((fields) => {
    const record = { line, fields };
    line += 1 + fields.reduce((n, f) => n + lineBreaks(f), 0);
    return record;
  });
}

const lineBreaks = (field: string): number => (field.includes('\n') || field.includes('\r') ? (field.match(/\r\n|\n|\r/g)?.length ?? 0) : 0);

/** The line where the record that failed starts: after the records csv-parse had read before it. */
function lineAfter(text: string, error: CsvError): number {
  const before = (error as CsvError & { records?: number }).records ?? 0;
  if (before === 0) return 1;
  const records = withLines(parse(text, { ...OPTIONS, to: before }));
  const last = records[records.length - 1];
  return last.line + 1 + last.fields.reduce((n, f) => n + lineBreaks(f), 0);
}

const isBlank = (fields: string[]): boolean => fields.length === 1 && fields[0].trim() === '';

/** csv-parse's error as the user would say it; the line is where the record that failed starts. */
function csvSyntaxError(line: number, error: CsvError): TiergateError {
  const { column, field: before } = error as CsvError & { column?: unknown; field?: unknown };
  const field = typeof column === 'number' ? `field ${column + 1}` : 'a field';
  const fix = 'put the whole field in quotes and double each quote inside ("")';
  let message: string;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') message = 'a quoted field is not closed';
  else if (error.code === 'INVALID_OPENING_QUOTE' && typeof before === 'string' && before.trim() === '') {
    message = `${field} has spaces before its opening quote: remove them (spaces are part of a field)`;
  } else if (error.code === 'INVALID_OPENING_QUOTE') message = `${field} has a quote (") but does not start with one: ${fix}`;
  else if (error.code === 'CSV_INVALID_CLOSING_QUOTE') message = `${field} goes on after its closing quote: ${fix}`;
  else message = `the record is not valid CSV (${error.code})`;
  return new TiergateError('IMPORT_FAILED', `the file is not valid CSV: line ${line}: ${message}`, { errors: [{ line, message }] }, { cause: error });
}
