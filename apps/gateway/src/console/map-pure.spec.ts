import { loadPureConsoleModule } from './console-pure-modules';

/** apps/gateway/console/map-labels.js, map-status.js and map-search.js: the map's rules (docs/map.md). */
const labels = loadPureConsoleModule('map-labels.js', ['LABEL_RULE', 'estimateLabelSize', 'labelShown', 'lineMidpoint']);
const status = loadPureConsoleModule('map-status.js', ['MAP_STATUSES', 'mapStatus', 'statusCounts', 'filterByStatus', 'shownCount', 'clusterTone']);
const search = loadPureConsoleModule('map-search.js', ['searchMap']);

describe('map labels', () => {
  it('shows the sub-bureau below zoom 12, stations from 12 until their posts show at 14; one without children stays', () => {
    const big = { w: 500, h: 500 };
    const label = { w: 60, h: 18 };
    expect([11.5, 12, 13.5, 14, 18].map((z) => labels.labelShown('post', z, big, label))).toEqual([false, false, false, true, true]);
    expect([11.5, 12, 13.5, 14].map((z) => labels.labelShown('station', z, big, label))).toEqual([false, true, true, false]);
    expect([11.5, 12, 14, 19].map((z) => labels.labelShown('station', z, big, label, true))).toEqual([false, true, true, true]);
    expect([5, 11.5, 12].map((z) => labels.labelShown('sub-bureau', z, big, label))).toEqual([true, true, false]);
    expect(labels.labelShown('sub-bureau', 15, big, label, true)).toBe(true);
    expect([11.5, 12].map((z) => labels.labelShown('landmark', z))).toEqual([false, true]);
    expect([14.5, 15].map((z) => labels.labelShown('street', z))).toEqual([false, true]);
  });

  it('hides a jurisdiction whose boundary is smaller on screen than its label', () => {
    const label = labels.estimateLabelSize('Post 3-7');
    expect(label).toEqual({ w: 8 + 8 * 7, h: 18 });
    expect(labels.labelShown('post', 15, { w: label.w, h: 18 }, label)).toBe(true);
    expect(labels.labelShown('post', 15, { w: label.w - 1, h: 40 }, label)).toBe(false);
    expect(labels.labelShown('post', 15, { w: 400, h: 17 }, label)).toBe(false);
    expect(labels.estimateLabelSize('和平里警务室')).toEqual({ w: 8 + 6 * 13, h: 18 });
  });

  it('puts a street name half-way along the line', () => {
    expect(labels.lineMidpoint([[0, 0], [2, 0], [2, 2]])).toEqual({ lon: 2, lat: 0 });
    expect(labels.lineMidpoint([[0, 0], [4, 0], [4, 1]])).toEqual({ lon: 2.5, lat: 0 });
    expect(labels.lineMidpoint([[1, 1]])).toEqual({ lon: 1, lat: 1 });
    expect(labels.lineMidpoint([])).toBeNull();
  });
});

describe('map status legend and filter', () => {
  const cams = [{ status: 'online' }, { status: 'online' }, { status: 'offline' }, { status: 'unauthorized' }, { status: 'unknown' }, { status: 'weird' }];
  it('counts each status, anything else as unknown', () => {
    expect(status.statusCounts(cams)).toEqual({ online: 2, offline: 1, unauthorized: 1, unknown: 2 });
    expect(status.mapStatus({})).toBe('unknown');
  });

  it('filters by the ticked statuses and says how many are shown', () => {
    const shown = new Set(['online', 'unknown']);
    expect(status.filterByStatus(cams, shown).map((c: { status: string }) => c.status)).toEqual(['online', 'online', 'unknown', 'weird']);
    expect(status.shownCount(status.statusCounts(cams), shown)).toBe(4);
    expect(status.shownCount(status.statusCounts(cams), new Set())).toBe(0);
  });

  it('tones a cluster by how many of its cameras are online', () => {
    expect(status.clusterTone({ online: 3, offline: 0, unauthorized: 0, unknown: 0 })).toBe('ok');
    expect(status.clusterTone({ online: 2, offline: 1 })).toBe('mixed');
    expect(status.clusterTone({ online: 0, offline: 1, unknown: 2 })).toBe('down');
  });
});

describe('map search', () => {
  const at = { lat: 41.8, lon: 123.4 };
  const box = { type: 'Polygon', coordinates: [] };
  const data = {
    cameras: [
      { id: 'c1', name: 'Elm gate', location: at },
      { id: 'c2', name: 'North gate Elm', location: at },
      { id: 'c3', name: 'Elm garage', location: null },
      { id: 'c4', name: 'ＥＬＭ yard', location: at },
      { id: 'c5', name: '北门岗亭', location: at },
    ],
    jurisdictions: [
      { id: 'j1', name: 'Elm Post', boundary: box },
      { id: 'j2', name: 'Elm', boundary: box },
      { id: 'j3', name: 'Elm Station', boundary: null },
    ],
  };
  const ids = (q: string, opts?: object) => search.searchMap(q, data, opts).map((h: { id: string }) => h.id);

  it('finds by substring, case-insensitive, full-width folded; exact, then prefix, jurisdictions first', () => {
    expect(ids('elm')).toEqual(['j2', 'j1', 'c1', 'c4', 'c2']);
    expect(ids('GATE')).toEqual(['c1', 'c2']);
    expect(ids('北门')).toEqual(['c5']);
    expect(search.searchMap('elm gate', data)[0]).toEqual({ kind: 'camera', id: 'c1', name: 'Elm gate', item: data.cameras[0] });
  });

  it('leaves out what cannot be shown, answers nothing for an empty query and keeps to the limit', () => {
    expect(ids('garage')).toEqual([]); // no location
    expect(ids('station')).toEqual([]); // no boundary
    expect(ids('  ')).toEqual([]);
    expect(ids('elm', { limit: 2 })).toEqual(['j2', 'j1']);
  });
});
