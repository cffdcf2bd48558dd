import { TiergateError } from '@tiergate/domain';
import { parseCameraCsv } from './camera-csv.parser';
import { parseCameraUrl } from './camera-url';

const HEADER = 'name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url';

describe('parseCameraCsv', () => {
  it('parses ONVIF and RTSP rows, tags, locations; splits URL credentials off', () => {
    const csv = `${HEADER}\nGate 1,31.2,121.4,gate; north ;,127.0.1.1,8080,admin,pw,\nLane,,,,,,,,rtsp://u:p%40ss@10.0.0.2:554/s1\n`;
    const { rows, errors } = parseCameraCsv(csv);
    expect(errors).toEqual([]);
    expect(rows[0]).toEqual({ line: 2, name: 'Gate 1', location: { lat: 31.2, lon: 121.4 }, tags: ['gate', 'north'], onvif: { host: '127.0.1.1', port: 8080 }, username: 'admin', password: 'pw' });
    expect(rows[1]).toEqual({ line: 3, name: 'Lane', tags: [], rtspUrl: 'rtsp://10.0.0.2:554/s1', username: 'u', password: 'p@ss' });
  });
  it('accepts columns in another order', () => {
    const { rows, errors } = parseCameraCsv('rtsp_url,name,lat,lon,tags,onvif_host,onvif_port,username,password\nrtsp://h/x,A,,,,,,,\n');
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ name: 'A', rtspUrl: 'rtsp://h/x' });
  });
  it('lists every bad row with its line and never echoes a password', () => {
    const csv = [
      HEADER,
      'ok,1,2,,,,,,rtsp://h/a',
      ',100,2,,,,,,rtsp://h/a',
      'bad url,,,,,,,,file:///etc/passwd',
      'http,,,,,,,,http://u:secret@h/x',
      'nothing,,,,,,,,',
      'port,,,,h,99999,admin,x,',
      'short,1',
    ].join('\n');
    const { rows, errors } = parseCameraCsv(csv);
    expect(rows).toHaveLength(1);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(errors[0].message).toMatch(/name is empty.*lat "100"/);
    expect(errors[1].message).toMatch(/scheme "file" is not supported/);
    expect(JSON.stringify(errors)).not.toContain('secret');
    expect(errors[5].message).toMatch(/has 2 fields/);
  });
  it('reads a spreadsheet export: BOM, CRLF, a quoted name with a comma and quotes, lines past a multi-line field', () => {
    const csv = `\uFEFF${HEADER}\r\n"Gate 1, ""north""",,,"a;b",,,,,rtsp://h/1\r\n"two\r\nlines",,,,,,,,rtsp://h/2\r\n,,,,,,,,rtsp://h/3\r\n`;
    const { rows, errors } = parseCameraCsv(csv);
    expect(rows.map((r) => [r.line, r.name, r.tags])).toEqual([
      [2, 'Gate 1, "north"', ['a', 'b']],
      [3, 'two\r\nlines', []],
    ]);
    expect(errors).toEqual([{ line: 5, message: 'name is empty' }]);
  });
  it('refuses a file that is not CSV with IMPORT_FAILED naming the line', () => {
    const bad = () => parseCameraCsv(`${HEADER}\nok,,,,,,,,rtsp://h/a\n"open,,,,,,,,rtsp://h/b\n`);
    expect(bad).toThrow(TiergateError);
    expect(bad).toThrow(expect.objectContaining({ code: 'IMPORT_FAILED', details: { errors: [{ line: 3, message: 'a quoted field is not closed' }] } }));
  });
  it('refuses a file without the header', () => {
    expect(parseCameraCsv('name,lat\nx,1').errors).toEqual([{ line: 1, message: expect.stringMatching(/lacks the column\(s\) lon, tags/) }]);
    expect(parseCameraCsv('').errors[0].message).toMatch(/empty/);
  });
});

describe('parseCameraUrl', () => {
  it.each(['file:///etc/passwd', 'http://h/x', 'https://h/x', 'javascript:alert(1)', 'rtmp://h/x', 'concat:a|b', 'rtsp://h/a b', 'rtsp://h/\nx'])('refuses %p', (u) => {
    expect(parseCameraUrl(u)).toHaveProperty('error');
  });
  it('accepts rtsp and rtsps', () => {
    expect(parseCameraUrl('rtsps://h:322/x')).toEqual({ url: 'rtsps://h:322/x', username: undefined, password: undefined });
  });
});
