/**
 * Pure CSV writing (RFC 4180) for exports opened in spreadsheets. A cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return would be run as a formula by Excel, LibreOffice or Google Sheets
 * (CSV injection, OWASP): such a cell is prefixed with a single quote, which spreadsheets show as text.
 * Cells with a comma, quote or line break are quoted, with quotes doubled.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | Date | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  // Numbers are data, not formulas: -3.5 stays -3.5. Any string that looks like a formula is neutralised.
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says) from cell values. */
export const csvLine = (cells: readonly CsvValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** A whole CSV document: the header, then one line per row. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}
