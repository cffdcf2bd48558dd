import { TiergateError } from '@tiergate/domain';

/** Pure: the CSV text of an import request, from a raw text/csv body or the multipart field `file`. */
export function csvContentOf(body: unknown, contentType: string | undefined, file?: { buffer: Buffer }): string {
  if (file) return file.buffer.toString('utf8');
  if (typeof body === 'string') return body;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'multipart/form-data') throw new TiergateError('VALIDATION_FAILED', 'file: the multipart form has no field "file"', { fields: ['file'] });
  throw new TiergateError('UNSUPPORTED_MEDIA_TYPE', `send the CSV as text/csv or as multipart/form-data field "file" (got ${type.slice(0, 60) || 'no content type'})`);
}
