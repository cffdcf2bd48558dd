import { TiergateError } from '../errors';
import { readCsvTable } from './csv-table';

/** The one-line problem a user is shown for a file that is not CSV (or the table when it is). */
function problemOf(text: string): { line: number; message: string } | undefined {
  try {
    readCsvTable(text);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(TiergateError);
    expect((e as TiergateError).code).toBe('IMPORT_FAILED');
    const [problem] = (e as TiergateError).details?.errors as { line: number; message: string }[];
    expect((e as TiergateError).message).toBe(`the file is not valid CSV: line ${problem.line}: ${problem.message}`);
    return problem;
  }
}

describe('readCsvTable', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM and blank lines, keeping physical lines', () => {
    const table = readCsvTable('\uFEFFId, Type \r\n"x, ""y""",2\r\n\r\n"multi\nline",3\n   \nlast,4');
    expect(table).toEqual({
      header: { line: 1, names: ['id', 'type'] },
      rows: [
        { line: 2, fields: ['x, "y"', '2'] },
        { line: 4, fields: ['multi\nline', '3'] },
        { line: 7, fields: ['last', '4'] },
      ],
    });
  });

  it('takes CRLF, LF and a lone CR in one file, and a CRLF inside a quoted field as one line', () => {
    expect(readCsvTable('a,b\r\nc,d\ne,f\rg,h\r\n"x\r\ny",2\r\nz,3\r\n').rows).toEqual([
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
      { line: 4, fields: ['g', 'h'] },
      { line: 5, fields: ['x\r\ny', '2'] },
      { line: 7, fields: ['z', '3'] },
    ]);
  });

  it('keeps spaces, empty fields and ragged records as they are (the caller judges them)', () => {
    expect(readCsvTable('a,b,c\n x ,,\n1\n1,2,3,4').rows).toEqual([
      { line: 2, fields: [' x ', '', ''] },
      { line: 3, fields: ['1'] },
      { line: 4, fields: ['1', '2', '3', '4'] },
    ]);
  });

  it('counts lines over multi-byte text', () => {
    expect(readCsvTable('名前,ü\n"日本\n語",é\nlast,1').rows).toEqual([
      { line: 2, fields: ['日本\n語', 'é'] },
      { line: 4, fields: ['last', '1'] },
    ]);
  });

  it('answers an empty file (also only a BOM or blank lines) with no header, and a header-only file with no rows', () => {
    expect(readCsvTable('')).toEqual({ rows: [] });
    expect(readCsvTable('\uFEFF')).toEqual({ rows: [] });
    expect(readCsvTable('\r\n  \n')).toEqual({ rows: [] });
    expect(readCsvTable('\n\na,b\r\n')).toEqual({ header: { line: 3, names: ['a', 'b'] }, rows: [] });
  });

  it('reports an unclosed quote at the line where its record starts', () => {
    expect(problemOf('a,b\n"oops,1')).toEqual({ line: 2, message: 'a quoted field is not closed' });
    expect(problemOf('a,b,c\n"x\ny",2,"open\nmore')).toEqual({ line: 2, message: 'a quoted field is not closed' });
  });

  // RFC 4180 (section 2.4-2.7): a field is either wholly quoted or holds no quote; spaces are part of a field.
  // The two tokenizers this replaced disagreed on ` "a, b"` (one dropped the spaces and read a quoted field,
  // the other split it at the comma) and both guessed at `"a"b`; these are refused, naming line and field.
  it('refuses quotes outside the RFC 4180 grammar with the line, the field and the fix', () => {
    expect(problemOf('a,b\nx, "y, z"')).toEqual({ line: 2, message: 'field 2 has spaces before its opening quote: remove them (spaces are part of a field)' });
    expect(problemOf('a,b\nok,1\n5" dome,2')).toEqual({ line: 3, message: 'field 1 has a quote (") but does not start with one: put the whole field in quotes and double each quote inside ("")' });
    expect(problemOf('a,b\n"abc"def,2')).toEqual({ line: 2, message: 'field 1 goes on after its closing quote: put the whole field in quotes and double each quote inside ("")' });
    expect(problemOf('a,b\n"5"" dome",2')).toBeUndefined();
  });
});
