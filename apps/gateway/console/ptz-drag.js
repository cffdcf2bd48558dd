// How the full-screen view's gestures become PTZ velocities (docs/ptz.md): pure functions, no imports, so a unit
// spec runs exactly this code (apps/gateway/src/ptz/ptz-drag.spec.ts).

/** A drag shorter than this share of half the picture does not move the camera (a click is not a nudge). */
export const DRAG_DEADZONE = 0.08;
/** The velocity of a button or arrow key. */
export const BUTTON_SPEED = 0.5;

const clampUnit = (v) => Math.max(-1, Math.min(1, v));

/**
 * The velocity of a drag `dx`, `dy` pixels from where the mouse was pressed, over a picture `width` x `height`:
 * full speed at half the picture, right is pan +, up (dy < 0 on screen) is tilt +, rounded to hundredths; no zoom.
 */
export function dragVelocity(dx, dy, width, height) {
  const axis = (d, half) => {
    if (!(half > 0) || !Number.isFinite(d)) return 0;
    const v = clampUnit(d / half);
    return Math.abs(v) < DRAG_DEADZONE ? 0 : Math.round(v * 100) / 100;
  };
  return { pan: axis(dx, width / 2), tilt: axis(-dy, height / 2), zoom: 0 };
}

const KEYS = {
  ArrowLeft: { pan: -1, tilt: 0, zoom: 0 },
  ArrowRight: { pan: 1, tilt: 0, zoom: 0 },
  ArrowUp: { pan: 0, tilt: 1, zoom: 0 },
  ArrowDown: { pan: 0, tilt: -1, zoom: 0 },
  '+': { pan: 0, tilt: 0, zoom: 1 },
  '=': { pan: 0, tilt: 0, zoom: 1 },
  '-': { pan: 0, tilt: 0, zoom: -1 },
  _: { pan: 0, tilt: 0, zoom: -1 },
};

/** Whether `key` (KeyboardEvent.key) steers. */
export const isPtzKey = (key) => Object.prototype.hasOwnProperty.call(KEYS, key);

/** The velocity of the keys held together (left + up moves diagonally; left + right cancel), at BUTTON_SPEED. */
export function keysVelocity(keys) {
  const v = { pan: 0, tilt: 0, zoom: 0 };
  for (const key of new Set(keys)) {
    const d = KEYS[key];
    if (!d) continue;
    v.pan += d.pan;
    v.tilt += d.tilt;
    v.zoom += d.zoom;
  }
  return { pan: clampUnit(v.pan) * BUTTON_SPEED, tilt: clampUnit(v.tilt) * BUTTON_SPEED, zoom: clampUnit(v.zoom) * BUTTON_SPEED };
}

export const isStill = (v) => !v || (v.pan === 0 && v.tilt === 0 && v.zoom === 0);

export const sameVelocity = (a, b) => (isStill(a) && isStill(b)) || (!!a && !!b && a.pan === b.pan && a.tilt === b.tilt && a.zoom === b.zoom);
