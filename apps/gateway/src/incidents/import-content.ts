import { TiergateError } from '@tiergate/domain';
import { detectIncidentFormat, IncidentFileFormat } from './incident-file.parser';

/**
 * The file of an import request and its format: the multipart `file` when present (format from its
 * media type, name or first character), else the raw body (text for CSV, parsed JSON for GeoJSON).
 */
export function importContentOf(
  body: unknown,
  contentType: string | undefined,
  file: { buffer: Buffer; mimetype?: string; originalname?: string } | undefined,
): { content: unknown; format: IncidentFileFormat } {
  if (file) {
    const text = file.buffer.toString('utf8');
    return { content: text, format: detectIncidentFormat(file.mimetype, file.originalname, text) };
  }
  if (typeof body === 'string') return { content: body, format: detectIncidentFormat(contentType, undefined, body) };
  if (body !== null && typeof body === 'object' && !(Object.keys(body).length === 0 && !/json/i.test(contentType ?? ''))) {
    return { content: body, format: 'geojson' };
  }
  throw new TiergateError(
    'UNSUPPORTED_MEDIA_TYPE',
    'send the file as text/csv, application/geo+json or application/json, or as multipart/form-data field "file"',
  );
}
