// How many camera rows of a CSV file have no location (no imports, unit-tested in apps/gateway/src/console): the
// import form asks before uploading them (docs/operators.md "Cameras without a location"). The cells are read as
// RFC 4180 has them (quoted fields, doubled quotes, commas and line breaks inside quotes); the header names the
// columns (`lat`, `lon`, any order, any case). Pure.

/** The rows of a CSV text as arrays of cells. */
export function csvRows(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const s = String(text ?? '').replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Data rows (not blank) whose `lat` or `lon` cell is empty; every data row when the header has no such column. */
export function rowsWithoutLocation(text) {
  const [header, ...data] = csvRows(text);
  if (!header) return 0;
  const names = header.map((h) => h.trim().toLowerCase());
  const [lat, lon] = [names.indexOf('lat'), names.indexOf('lon')];
  const rows = data.filter((r) => r.some((c) => c.trim() !== ''));
  if (lat < 0 || lon < 0) return rows.length;
  return rows.filter((r) => (r[lat] ?? '').trim() === '' || (r[lon] ?? '').trim() === '').length;
}
