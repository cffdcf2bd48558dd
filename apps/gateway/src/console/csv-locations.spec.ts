import { loadPureConsoleModule } from './console-pure-modules';

/** apps/gateway/console/csv-locations.js: the rows the import form warns about before uploading. */
const { csvRows, rowsWithoutLocation } = loadPureConsoleModule('csv-locations.js', ['csvRows', 'rowsWithoutLocation']);
const HEADER = 'name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url';

describe('CSV rows without a location', () => {
  it('reads quoted cells, doubled quotes, commas and line breaks inside quotes, CRLF and a BOM', () => {
    expect(csvRows('\uFEFFa,"b,c","say ""hi"""\r\n"two\nlines",,x\n')).toEqual([['a', 'b,c', 'say "hi"'], ['two\nlines', '', 'x']]);
    expect(csvRows('a,b')).toEqual([['a', 'b']]);
  });

  it('counts rows with an empty lat or lon, by the header, ignoring blank lines', () => {
    const csv = [HEADER, 'placed,39.9,116.3,garage,,,,,rtsp://h/a', 'no lat,,116.3,,,,,,rtsp://h/b', '"no, lon",39.9,,,,,,,rtsp://h/c', '', 'none,,,,,,,,rtsp://h/d', ''].join('\n');
    expect(rowsWithoutLocation(csv)).toBe(3);
    expect(rowsWithoutLocation(`lon,name,lat\n116.3,x,39.9\n116.3,y,\n`)).toBe(1);
  });

  it('counts every row of a file without lat/lon columns, none of an empty file', () => {
    expect(rowsWithoutLocation('name,rtsp_url\na,rtsp://h/a\nb,rtsp://h/b\n')).toBe(2);
    expect(rowsWithoutLocation('')).toBe(0);
    expect(rowsWithoutLocation(`${HEADER}\n`)).toBe(0);
  });
});
