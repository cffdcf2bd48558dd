import { TiergateError } from '@tiergate/domain';

/** The FeatureCollection of an import request: the uploaded `file` when present, else the parsed JSON body. */
export function importBodyOf(body: unknown, file: { buffer: Buffer } | undefined): unknown {
  if (!file) {
    if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body as object).length === 0)) {
      throw new TiergateError('VALIDATION_FAILED', 'body: send a GeoJSON FeatureCollection as application/geo+json or application/json, or as multipart field "file"');
    }
    return body;
  }
  try {
    return JSON.parse(file.buffer.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new TiergateError('VALIDATION_FAILED', 'file: not valid JSON (expected a GeoJSON FeatureCollection)');
  }
}
