import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { ERROR_STATUS, INCIDENT_TYPES, CAMERA_STATUSES, ROLES, TIERS } from '@tiergate/domain';
import { locateConsoleDir } from './console-assets';

/**
 * The console's language tables are plain ES modules for the browser (`export default {...}`); they are read as
 * text here and evaluated in an empty context, so the spec sees exactly what the browser loads.
 */
function table(name: string): Record<string, string> {
  const source = readFileSync(join(locateConsoleDir(), 'i18n', `${name}.js`), 'utf8');
  const body = source.replace(/^export default /m, 'result = ');
  const context: { result?: Record<string, string> } = {};
  runInNewContext(body, context);
  if (!context.result) throw new Error(`${name}.js has no default export`);
  return context.result;
}

/** A key without its plural suffix (`wall.tiles#one` -> `wall.tiles`): Chinese has no singular form. */
const base = (key: string) => key.replace(/#\w+$/, '');
// the set of parameters: a language may name one twice (去年同期 … （去年同期 5 起）) where the other names it once
const params = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('console language tables', () => {
  const en = table('en');
  const zh = table('zh-CN');

  it('zh-CN and en have the same keys (plural forms aside)', () => {
    const enKeys = [...new Set(Object.keys(en).map(base))].sort();
    const zhKeys = [...new Set(Object.keys(zh).map(base))].sort();
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    for (const key of Object.keys(en).filter((k) => k.includes('#'))) expect(Object.keys(en)).toContain(base(key));
  });

  it('every text is a non-empty string and both languages take the same parameters', () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(zh)]) {
      expect(typeof value === 'string' && value.trim().length > 0 ? key : `${key}: empty`).toBe(key);
    }
    for (const key of Object.keys(zh)) {
      expect(`${key}: ${params(zh[key]).join(',')}`).toBe(`${key}: ${params(en[key] ?? en[`${key}#other`]).join(',')}`);
    }
  });

  it('the Chinese table is Chinese: no display text is left in English', () => {
    // Names, codes and units that stay as they are in a Chinese console.
    const sameInBoth = new Set(['app.brand', 'locale.zh-CN', 'locale.en', 'ops.add.onvif']);
    const untranslated = Object.keys(zh).filter((k) => !sameInBoth.has(k) && zh[k] === en[k]);
    expect(untranslated).toEqual([]);
    // A text is Chinese when it has Chinese characters, or is only a format (parameters and punctuation).
    const isChinese = (text: string) => /[\u4e00-\u9fff]/.test(text) || !/[A-Za-z]{2,}/.test(text.replace(/\{\w+\}/g, ''));
    expect(Object.keys(zh).filter((k) => !sameInBoth.has(k) && !isChinese(zh[k]))).toEqual([]);
  });

  it('names every API error code, camera status, role, tier and incident type of the domain in both languages', () => {
    const needed = [
      ...Object.keys(ERROR_STATUS).map((c) => `error.${c}`),
      ...CAMERA_STATUSES.map((s) => `status.${s}`),
      ...ROLES.map((r) => `role.${r}`),
      ...TIERS.map((t) => `tier.${t}`),
      ...INCIDENT_TYPES.map((t) => `incidentType.${t}`),
    ];
    expect(needed.filter((k) => !(k in en))).toEqual([]);
    expect(needed.filter((k) => !(k in zh))).toEqual([]);
  });
});
