import { isUtf8 } from 'node:buffer';
import { findJsonProblem, TiergateError } from '@tiergate/domain';
import { MAX_IMPORT_BYTES } from '@tiergate/platform';

/**
 * Pure: the file of an import request as text, the same way for every import (cameras, incidents,
 * jurisdictions). The file is the multipart field `file` when the request is multipart/form-data, else
 * the raw body, which the import routes receive as bytes (see http-app.ts). Either is at most
 * MAX_IMPORT_BYTES, must be UTF-8 (a BOM is dropped) and, as a raw body, must have a media type the
 * import takes. Every refusal is a TiergateError, so every import answers with the same `{code, message}`.
 */

/** Raw-body media types of a CSV import. */
export const CSV_MEDIA_TYPES = ['text/csv', 'application/csv', 'text/plain'] as const;
/** Raw-body media types of a GeoJSON import. */
export const GEOJSON_MEDIA_TYPES = ['application/geo+json', 'application/json'] as const;

export interface UploadRequest {
  /** The raw body as bytes, or multer's object of the form's text fields for multipart. */
  body: unknown;
  contentType?: string;
  /** The multipart field `file`, as multer's memory storage gives it. */
  file?: { buffer: Buffer; mimetype?: string; originalname?: string };
}

export interface UploadAccepts {
  /** What the import takes, in the words of its messages: "the CSV", "the GeoJSON FeatureCollection". */
  what: string;
  /** Media types accepted for a raw body (lower case, no parameters). */
  mediaTypes: readonly string[];
}

export interface Upload {
  /** The file decoded as UTF-8, without a BOM. */
  text: string;
  /** Where it came from: the words that start a message about it. */
  source: 'file' | 'body';
  /** The media type of the file part or of the body, lower case, no parameters ('' when none was sent). */
  mediaType: string;
  fileName?: string;
}

export function extractUpload(request: UploadRequest, accepts: UploadAccepts): Upload {
  const { file } = request;
  if (file) {
    const text = decodeUtf8(capped(file.buffer, 'file'), 'file');
    return { text, source: 'file', mediaType: mediaTypeOf(file.mimetype).type, fileName: file.originalname };
  }
  const { type, charset } = mediaTypeOf(request.contentType);
  const how = `send ${accepts.what} as ${accepts.mediaTypes.join(', ')}, or as multipart/form-data field "file"`;
  if (type === 'multipart/form-data') throw new TiergateError('VALIDATION_FAILED', 'file: the multipart form has no field "file"', { fields: ['file'] });
  if (type === '') throw new TiergateError('VALIDATION_FAILED', `body: ${how}`, { fields: ['body'] });
  if (!accepts.mediaTypes.includes(type)) throw new TiergateError('UNSUPPORTED_MEDIA_TYPE', `${how} (got ${type.slice(0, 60)})`);
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
    throw new TiergateError('UNSUPPORTED_MEDIA_TYPE', `charset ${charset.slice(0, 30)} is not taken: send ${accepts.what} as UTF-8`);
  }
  const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  return { text: decodeUtf8(capped(bytes, 'body'), 'body'), source: 'body', mediaType: type };
}

/**
 * The upload as a JSON document: not JSON, empty, NUL characters or nesting deeper than the JSON body
 * guard allows are refused with 400 naming the field (a raw body's problems are named as the guard names
 * those of any JSON body).
 */
export function jsonOfUpload(upload: Upload, expected: string): unknown {
  const prefix = upload.source === 'file' ? 'file: ' : '';
  if (upload.text.trim() === '') throw new TiergateError('VALIDATION_FAILED', `${upload.source}: is empty (expected ${expected})`, { fields: [upload.source] });
  let doc: unknown;
  try {
    doc = JSON.parse(upload.text);
  } catch {
    throw new TiergateError('VALIDATION_FAILED', `${upload.source}: not valid JSON (expected ${expected})`, { fields: [upload.source] });
  }
  const problem = findJsonProblem(doc);
  if (problem) throw new TiergateError('VALIDATION_FAILED', `${prefix}${problem.path}: ${problem.message}`, { fields: [upload.source === 'file' ? 'file' : problem.path] });
  return doc;
}

/** The body parser and multer stop larger uploads first; this keeps the cap where the bytes are read. */
function capped(bytes: Buffer, source: 'file' | 'body'): Buffer {
  if (bytes.length <= MAX_IMPORT_BYTES) return bytes;
  throw new TiergateError('PAYLOAD_TOO_LARGE', `${source}: is ${bytes.length} bytes; an import takes at most ${MAX_IMPORT_BYTES} (${MAX_IMPORT_BYTES / 1024 / 1024} MB)`, {
    limit: MAX_IMPORT_BYTES,
  });
}

function mediaTypeOf(header: string | undefined): { type: string; charset?: string } {
  const [type, ...params] = (header ?? '').split(';');
  const charset = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  return { type: type.trim().toLowerCase(), charset };
}

const UTF8 = new TextDecoder('utf-8'); // drops a leading BOM

/** UTF-8 bytes as text; anything else is refused naming the line of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Buffer, source: 'file' | 'body'): string {
  if (isUtf8(bytes)) return UTF8.decode(bytes);
  const at = firstNonUtf8Byte(bytes);
  throw new TiergateError(
    'VALIDATION_FAILED',
    `${source}: is not UTF-8 text (line ${lineAt(bytes, at)}, byte ${at + 1}): save the file as UTF-8 (in a spreadsheet: "CSV UTF-8")`,
    { fields: [source] },
  );
}

/** Offset of the first byte that starts no valid UTF-8 sequence: where Node's decoder put its first U+FFFD that the bytes do not spell. */
function firstNonUtf8Byte(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  let offset = 0;
  let from = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
    offset += Buffer.byteLength(text.slice(from, i));
    from = i;
    const spelled = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (!spelled) return offset;
  }
  return 0; // not reached for bytes that isUtf8 refused
}

/** 1-based line of a byte offset; CRLF, LF or a lone CR end a line, as in readCsvTable. */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  return line;
}
