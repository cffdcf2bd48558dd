import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { locateConsoleDir } from './console-assets';

/** apps/gateway/console/hotspots-areas-text.js and the language tables, evaluated as the browser loads them. */
const EXPORTS = ['areaTitle', 'areaSentence', 'cameraLine', 'areaWallHash', 'wallLayoutFor'];
function load(): Record<string, any> {
  const source = readFileSync(join(locateConsoleDir(), 'hotspots-areas-text.js'), 'utf8');
  expect(source).not.toMatch(/^\s*import\s/m);
  const context: { result?: Record<string, any>; URLSearchParams: typeof URLSearchParams } = { URLSearchParams };
  runInNewContext(`${source.replace(/^export /gm, '')}\nresult = { ${EXPORTS.join(', ')} };`, context);
  return context.result!;
}
function table(name: string): Record<string, string> {
  const context: { result?: Record<string, string> } = {};
  runInNewContext(readFileSync(join(locateConsoleDir(), 'i18n', `${name}.js`), 'utf8').replace(/^export default /m, 'result = '), context);
  return context.result!;
}
/** i18n.js's t() in small: the plural form when a count is given, {name} replaced. */
function translator(lang: 'zh-CN' | 'en') {
  const tab = table(lang);
  return (key: string, params?: Record<string, unknown>) => {
    const plural = typeof params?.count === 'number' ? `${key}#${new Intl.PluralRules(lang).select(params.count as number)}` : '';
    const text = tab[plural] ?? tab[key];
    if (text === undefined) throw new Error(`no ${lang} text for ${key}`);
    return text.replace(/\{(\w+)\}/g, (m, n) => (params && n in params ? String(params[n]) : m));
  };
}

const { areaTitle, areaSentence, cameraLine, areaWallHash, wallLayoutFor } = load();
const zh = translator('zh-CN');
const en = translator('en');
const area = {
  id: '1,2',
  level: 99,
  count: 135,
  post: { id: 'p', code: 'P', name: '柳树派出所', tier: 'station' },
  landmark: { cameraId: 'g', name: '东车棚', kind: 'garage', groundDistance: 40 },
  cameras: [
    { id: 'a', name: '柳树东路口', garage: false, distance: 0, groundDistance: 0 },
    { id: 'g', name: '东车棚', garage: true, distance: 53, groundDistance: 40 },
    { id: 'c', name: '桥头', garage: false, distance: 200, groundDistance: 149 },
    { id: 'd', name: '远处', garage: false, distance: 400, groundDistance: 298 },
  ],
};

describe('hotspot areas in words', () => {
  it('names an area by its post and its landmark, either alone, else by its place in the list', () => {
    expect(areaTitle(area, zh)).toBe('柳树派出所 · 东车棚附近');
    expect(areaTitle(area, en)).toBe('柳树派出所, near 东车棚');
    expect(areaTitle({ ...area, landmark: null }, zh)).toBe('柳树派出所');
    expect(areaTitle({ ...area, post: null }, zh)).toBe('东车棚附近');
    expect(areaTitle({ ...area, post: null, landmark: null }, zh, 2)).toBe('热点区域 3');
  });

  it('says how many incidents, how far above the pattern and how sure, by level', () => {
    expect(areaSentence(area, zh, { type: 'bike_theft', typeName: '盗窃' })).toBe('135 起盗窃，远高于全区规律，置信度 99%');
    expect(areaSentence(area, en, { type: 'bike_theft', typeName: 'theft' })).toBe("135 theft incidents, far above the district's pattern, 99\u00a0% confidence");
    expect(areaSentence({ ...area, level: 95 }, zh, { scopeName: '柳树派出所' })).toBe('135 起警情，明显高于柳树派出所规律，置信度 95%');
    expect(areaSentence({ ...area, level: 90, count: 1 }, en, {})).toBe("1 incident, above the district's pattern, 90\u00a0% confidence");
  });

  it('lists the nearest cameras with their ground distance, then how many more', () => {
    expect(cameraLine(area, zh)).toBe('柳树东路口（区域内）、东车棚（40 米）、桥头（149 米）等 1 个');
    expect(cameraLine(area, en)).toBe('柳树东路口 (inside), 东车棚 (40 m), 桥头 (149 m) and 1 more');
    expect(cameraLine({ ...area, cameras: [] }, zh)).toBe('附近没有您可查看的摄像机');
  });

  it('opens the wall on the area\'s cameras in the smallest layout that holds them, labelled', () => {
    const hash = areaWallHash(area, '热点：柳树派出所 · 东车棚附近');
    expect(hash.startsWith('#/wall?')).toBe(true);
    const q = new URLSearchParams(hash.slice('#/wall?'.length));
    expect(q.get('cameras')).toBe('a,g,c,d');
    expect(q.get('layout')).toBe('4');
    expect(q.get('title')).toBe('热点：柳树派出所 · 东车棚附近');
    expect([1, 2, 5, 10, 17, 25, 30].map(wallLayoutFor)).toEqual([1, 4, 9, 16, 25, 25, 25]);
    const many = { ...area, cameras: Array.from({ length: 30 }, (_, i) => ({ id: `k${i}`, name: `k${i}`, groundDistance: i })) };
    expect(new URLSearchParams(areaWallHash(many, 'x').slice(7)).get('cameras')!.split(',')).toHaveLength(25);
  });
});
