import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { locateConsoleDir } from '../console/console-assets';

/** apps/gateway/console/ptz-drag.js, evaluated as the browser loads it (as alert-order.spec.ts does). */
const EXPORTS = ['dragVelocity', 'keysVelocity', 'isPtzKey', 'isStill', 'sameVelocity', 'DRAG_DEADZONE', 'BUTTON_SPEED'];
function load(): Record<string, any> {
  const source = readFileSync(join(locateConsoleDir(), 'ptz-drag.js'), 'utf8');
  expect(source).not.toMatch(/^\s*import\s/m);
  const context: { result?: Record<string, any> } = {};
  runInNewContext(`${source.replace(/^export /gm, '')}\nresult = { ${EXPORTS.join(', ')} };`, context);
  return context.result!;
}

const { dragVelocity, keysVelocity, isPtzKey, isStill, sameVelocity } = load();
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('PTZ gestures (console/ptz-drag.js)', () => {
  it('a drag is a velocity: full speed at half the picture, right and up positive, clamped, rounded', () => {
    expect(plain(dragVelocity(320, 0, 640, 360))).toEqual({ pan: 1, tilt: 0, zoom: 0 });
    expect(plain(dragVelocity(-80, -90, 640, 360))).toEqual({ pan: -0.25, tilt: 0.5, zoom: 0 }); // left and up on screen
    expect(plain(dragVelocity(2000, 2000, 640, 360))).toEqual({ pan: 1, tilt: -1, zoom: 0 });
    expect(plain(dragVelocity(33.3, 0, 640, 360))).toEqual({ pan: 0.1, tilt: 0, zoom: 0 });
  });

  it('a short drag (a click) does not move; a picture of no size does not either', () => {
    expect(isStill(dragVelocity(10, -5, 640, 360))).toBe(true);
    expect(isStill(dragVelocity(300, 300, 0, 0))).toBe(true);
    expect(isStill(dragVelocity(Number.NaN, 0, 640, 360))).toBe(true);
  });

  it('arrow keys and + / - at button speed, held together they combine', () => {
    expect(plain(keysVelocity(['ArrowRight']))).toEqual({ pan: 0.5, tilt: 0, zoom: 0 });
    expect(plain(keysVelocity(['ArrowLeft', 'ArrowUp']))).toEqual({ pan: -0.5, tilt: 0.5, zoom: 0 });
    expect(isStill(keysVelocity(['ArrowLeft', 'ArrowRight']))).toBe(true);
    expect(plain(keysVelocity(['+', '=']))).toEqual({ pan: 0, tilt: 0, zoom: 0.5 });
    expect(plain(keysVelocity(['-']))).toEqual({ pan: 0, tilt: 0, zoom: -0.5 });
    expect(isPtzKey('ArrowDown')).toBe(true);
    expect(isPtzKey('Escape')).toBe(false);
    expect(isPtzKey('toString')).toBe(false);
  });

  it('compares velocities, every still one the same', () => {
    expect(sameVelocity(null, { pan: 0, tilt: 0, zoom: 0 })).toBe(true);
    expect(sameVelocity({ pan: 0.5, tilt: 0, zoom: 0 }, { pan: 0.5, tilt: 0, zoom: 0 })).toBe(true);
    expect(sameVelocity({ pan: 0.5, tilt: 0, zoom: 0 }, null)).toBe(false);
  });
});
