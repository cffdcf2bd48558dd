import { cleanDeviceText, csvCell, csvDocument, findJsonProblem, hasNul } from './index';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', "\"'\r=1\""],
  ])('neutralises the formula start of %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
  it('quotes commas, quotes and line breaks, and leaves plain text and numbers alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('camera 7')).toBe('camera 7');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
  });
  it('writes a document with CRLF lines', () => {
    expect(csvDocument(['a', 'b'], [['1', '=x'], [null, 'y,z']])).toBe("a,b\r\n1,'=x\r\n,\"y,z\"\r\n");
  });
});

describe('findJsonProblem', () => {
  it('names the field that carries a NUL', () => {
    expect(findJsonProblem({ name: 'a\u0000b' })).toEqual({ path: 'name', message: 'must not contain a NUL character (\\u0000)' });
    expect(findJsonProblem({ onvif: { host: 'h', username: 'x\u0000' } })?.path).toBe('onvif.username');
    expect(findJsonProblem({ tags: ['ok', '\u0000'] })?.path).toBe('tags[1]');
    expect(findJsonProblem({ features: [{ properties: { 'odd key': '\u0000' } }] })?.path).toBe('features[0].properties["odd key"]');
    expect(findJsonProblem({ ['k\u0000']: 1 })?.message).toMatch(/key/);
  });
  it('refuses nesting deeper than the limit without recursing (100,000 levels)', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    expect(findJsonProblem(deep)?.message).toBe('is nested deeper than 64 levels');
    const arrays = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(findJsonProblem(arrays)?.path).toMatch(/^body|\[0\]/);
    expect(findJsonProblem({ a: [[[[[[1]]]]]] })).toBeUndefined();
    expect(findJsonProblem(deep, 200_000)).toBeUndefined();
  });
});

describe('cleanDeviceText', () => {
  it('drops control characters (NUL included), trims and caps', () => {
    expect(cleanDeviceText('HIK\u0000VISION\u0007 ')).toBe('HIKVISION');
    expect(cleanDeviceText('x'.repeat(300), 10)).toBe('x'.repeat(10));
    expect(cleanDeviceText('DS-2CD\u00852142')).toBe('DS-2CD2142');
    expect(hasNul('a\u0000')).toBe(true);
    expect(hasNul('a')).toBe(false);
  });
});
