import { findJsonProblem, TiergateError } from '@tiergate/domain';

/** The FeatureCollection of an import request: the uploaded `file` when present, else the parsed JSON body. */
export function importBodyOf(body: unknown, file: { buffer: Buffer } | undefined): unknown {
  if (!file) {
    if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body as object).length === 0)) {
      throw new TiergateError('VALIDATION_FAILED', 'body: send a GeoJSON FeatureCollection as application/geo+json or application/json, or as multipart field "file"');
    }
    return body;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(file.buffer.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new TiergateError('VALIDATION_FAILED', 'file: not valid JSON (expected a GeoJSON FeatureCollection)');
  }
  // as the JSON body guard does for a raw body: NUL characters and absurd nesting, named by field
  const problem = findJsonProblem(doc);
  if (problem) throw new TiergateError('VALIDATION_FAILED', `file: ${problem.path}: ${problem.message}`, { fields: ['file'] });
  return doc;
}
