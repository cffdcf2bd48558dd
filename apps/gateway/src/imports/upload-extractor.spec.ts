import { TiergateError } from '@tiergate/domain';
import { MAX_IMPORT_BYTES } from '@tiergate/platform';
import { CSV_MEDIA_TYPES, extractUpload, GEOJSON_MEDIA_TYPES, jsonOfUpload, UploadAccepts, UploadRequest } from './upload-extractor';

const CSV: UploadAccepts = { what: 'the CSV', mediaTypes: CSV_MEDIA_TYPES };
const GEOJSON: UploadAccepts = { what: 'a GeoJSON FeatureCollection', mediaTypes: GEOJSON_MEDIA_TYPES };

/** The TiergateError a request is refused with, as the client sees it. */
function refusal(request: UploadRequest, accepts = CSV): { status: number; code: string; message: string } {
  try {
    extractUpload(request, accepts);
  } catch (e) {
    expect(e).toBeInstanceOf(TiergateError);
    const { code, message } = (e as TiergateError).toJSON();
    return { status: (e as TiergateError).status, code, message };
  }
  throw new Error('the request was accepted');
}

const file = (bytes: Buffer | string, mimetype = 'text/csv', originalname = 'x.csv') => ({ buffer: Buffer.from(bytes), mimetype, originalname });

describe('extractUpload', () => {
  it('takes the multipart field "file" before anything else, with its media type and name', () => {
    const upload = extractUpload({ body: {}, contentType: 'multipart/form-data; boundary=x', file: file('id,type\r\n', 'Text/CSV; charset=utf-8') }, CSV);
    expect(upload).toEqual({ text: 'id,type\r\n', source: 'file', mediaType: 'text/csv', fileName: 'x.csv' });
  });

  it('takes a raw body of an accepted media type as UTF-8 text, parameters and case aside', () => {
    expect(extractUpload({ body: Buffer.from('a,b\n'), contentType: 'Text/CSV; charset="UTF-8"' }, CSV)).toEqual({ text: 'a,b\n', source: 'body', mediaType: 'text/csv' });
    expect(extractUpload({ body: Buffer.from('{}'), contentType: 'application/geo+json' }, GEOJSON).text).toBe('{}');
  });

  it('drops a BOM and keeps CRLF and everything else as sent', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('名前,"a ""b"""\r\n')]);
    expect(extractUpload({ body: bytes, contentType: 'text/csv' }, CSV).text).toBe('名前,"a ""b"""\r\n');
    expect(extractUpload({ body: {}, file: file(bytes) }, CSV).text).toBe('名前,"a ""b"""\r\n');
  });

  it('answers an empty body or file with empty text (the parser says what the file lacks)', () => {
    expect(extractUpload({ body: Buffer.alloc(0), contentType: 'text/csv' }, CSV).text).toBe('');
    expect(extractUpload({ body: {}, file: file('') }, CSV).text).toBe('');
  });

  it('refuses bytes that are not UTF-8 with 400 naming the line', () => {
    const latin1 = Buffer.concat([Buffer.from('name,lat\nok,1\nCaf'), Buffer.from([0xe9]), Buffer.from(',2\n')]);
    expect(refusal({ body: latin1, contentType: 'text/csv' })).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'body: is not UTF-8 text (line 3, byte 18): save the file as UTF-8 (in a spreadsheet: "CSV UTF-8")',
    });
    expect(refusal({ body: {}, file: file(Buffer.from([0x61, 0x0a, 0xc3])) }).message).toMatch(/^file: is not UTF-8 text \(line 2, byte 3\)/);
    // a real U+FFFD before the bad byte is text, not the error
    const replacementThenBad = Buffer.concat([Buffer.from('\uFFFD\n'), Buffer.from([0xff])]);
    expect(refusal({ body: replacementThenBad, contentType: 'text/csv' }).message).toMatch(/\(line 2, byte 5\)/);
  });

  it('refuses a charset other than UTF-8 with 415', () => {
    expect(refusal({ body: Buffer.from('a'), contentType: 'text/csv; charset=windows-1252' })).toEqual({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'charset windows-1252 is not taken: send the CSV as UTF-8',
    });
  });

  it('refuses more than MAX_IMPORT_BYTES with 413, from a body or a file', () => {
    const big = Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x61);
    expect(refusal({ body: big, contentType: 'text/csv' })).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(refusal({ body: {}, file: file(big) })).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/^file: .*at most 52428800 \(50 MB\)/) });
  });

  it('refuses a media type the import does not take with 415, naming what it takes', () => {
    expect(refusal({ body: Buffer.from('{"a":1}'), contentType: 'application/json' })).toEqual({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'send the CSV as text/csv, application/csv, text/plain, or as multipart/form-data field "file" (got application/json)',
    });
    expect(refusal({ body: Buffer.from('x'), contentType: 'text/csv' }, GEOJSON).status).toBe(415);
  });

  it('refuses a multipart form without "file", and a request without a body, with 400', () => {
    expect(refusal({ body: { other: 'x' }, contentType: 'multipart/form-data; boundary=b' })).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'file: the multipart form has no field "file"',
    });
    expect(refusal({ body: undefined }, GEOJSON)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'body: send a GeoJSON FeatureCollection as application/geo+json, application/json, or as multipart/form-data field "file"',
    });
  });
});

describe('jsonOfUpload', () => {
  const expected = 'a GeoJSON FeatureCollection';
  const json = (text: string, source: 'file' | 'body' = 'body') => jsonOfUpload({ text, source, mediaType: 'application/json' }, expected);
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect((e as TiergateError).code).toBe('VALIDATION_FAILED');
      return (e as TiergateError).message;
    }
    throw new Error('accepted');
  };

  it('parses a document', () => {
    expect(json('{"type":"FeatureCollection","features":[]}')).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('refuses empty, broken, NUL-carrying and too deep documents naming where', () => {
    expect(messageOf(() => json(' '))).toBe('body: is empty (expected a GeoJSON FeatureCollection)');
    expect(messageOf(() => json('{"type":', 'file'))).toBe('file: not valid JSON (expected a GeoJSON FeatureCollection)');
    expect(messageOf(() => json('{"name":"a\\u0000"}', 'file'))).toMatch(/^file: name: .*NUL/);
    expect(messageOf(() => json(`{"name":${'['.repeat(100)}${']'.repeat(100)}}`))).toMatch(/^name.*: is nested deeper than 64 levels/);
  });
});
