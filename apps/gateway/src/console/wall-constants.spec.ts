import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { locateConsoleDir } from './console-assets';

/** apps/gateway/console/wall-constants.js, evaluated as the browser loads it (see alert-order.spec.ts). */
function load(globals: Record<string, unknown> = {}): Record<string, any> {
  const source = readFileSync(join(locateConsoleDir(), 'wall-constants.js'), 'utf8');
  expect(source).not.toMatch(/^\s*import\s/m);
  const context: Record<string, unknown> = { ...globals };
  runInNewContext(`${source.replace(/^export /gm, '')}\nresult = { LAYOUTS, PREWARM_LEAD_MS, WALL_REFRESH_MS };`, context);
  return context.result as Record<string, any>;
}

describe('wall constants shared by the station wall and the kiosk wall', () => {
  it('layouts are square grids; the refresh period is 30 s unless a test shortens it', () => {
    const c = load();
    expect(c.LAYOUTS).toEqual([1, 4, 9, 16, 25]);
    for (const n of c.LAYOUTS) expect(Number.isInteger(Math.sqrt(n))).toBe(true);
    expect(c.PREWARM_LEAD_MS).toBe(3000);
    expect(c.WALL_REFRESH_MS).toBe(30_000);
    expect(load({ __tiergateWallRefreshMs: 500 }).WALL_REFRESH_MS).toBe(500);
  });

  it('wall.js and kiosk-wall.js take them from wall-constants.js and define none of their own', () => {
    for (const file of ['wall.js', 'kiosk-wall.js']) {
      const source = readFileSync(join(locateConsoleDir(), file), 'utf8');
      expect(source).toMatch(/^import \{[^}]*\bLAYOUTS\b[^}]*\bPREWARM_LEAD_MS\b[^}]*\} from '\.\/wall-constants\.js';$/m);
      expect(source).not.toMatch(/\bconst (LAYOUTS|PREWARM_LEAD_MS|REFRESH_MS|WALL_REFRESH_MS)\s*=/);
      // both order a jurisdiction's cameras by the one alert order
      expect(source).toMatch(/^import \{ alertDwellSeconds, alertOrder \} from '\.\/alert-order\.js';$/m);
    }
  });
});
