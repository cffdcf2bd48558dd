/**
 * The simulated camera's pan/tilt/zoom head, pure (the clock is passed in): a position in the ONVIF generic
 * spaces (pan x and tilt y in [-1, 1], zoom in [0, 1]), continuous moves that advance with time and stop at the
 * limits or at their timeout, absolute and relative moves (reached at once), and up to MAX_PRESETS presets.
 */

export interface PtzPosition {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/** A velocity per axis in [-1, 1] (pan x, tilt y, zoom). */
export type PtzVelocity = PtzPosition;

export interface PtzPreset {
  readonly token: string;
  readonly name: string;
  readonly position: PtzPosition;
}

export type PtzRefusal = 'too-many-presets' | 'no-such-preset' | 'bad-name' | 'name-taken' | 'out-of-range';

/** Units per second at velocity 1: edge to edge (2 units) in 4 s for pan and tilt, the whole zoom in 4 s. */
export const PAN_TILT_SPEED = 0.5;
export const ZOOM_SPEED = 0.25;
export const MAX_PRESETS = 32;
export const MAX_PRESET_NAME = 64;
/** A ContinuousMove without a Timeout runs until Stop, at most this long (a lost client does not spin the head forever). */
export const MAX_CONTINUOUS_MS = 5 * 60_000;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const inRange = (v: number, lo: number, hi: number): boolean => Number.isFinite(v) && v >= lo && v <= hi;
const ZERO: PtzVelocity = { x: 0, y: 0, zoom: 0 };

export class SimPtz {
  /** Where the head was at `since`; it moves from there at `velocity` until `until`. */
  private base: PtzPosition = { x: 0, y: 0, zoom: 0 };
  private since: number;
  private until: number;
  private velocity: PtzVelocity = ZERO;
  private readonly presetsByToken = new Map<string, PtzPreset>();
  private nextToken = 1;

  constructor(private readonly now: () => number = Date.now) {
    this.since = this.until = now();
  }

  position(): PtzPosition {
    const t = Math.min(this.now(), this.until);
    const dt = Math.max(0, t - this.since) / 1000;
    return {
      x: clamp(this.base.x + this.velocity.x * PAN_TILT_SPEED * dt, -1, 1),
      y: clamp(this.base.y + this.velocity.y * PAN_TILT_SPEED * dt, -1, 1),
      zoom: clamp(this.base.zoom + this.velocity.zoom * ZOOM_SPEED * dt, 0, 1),
    };
  }

  /** Whether pan/tilt and zoom are moving now (a move that reached its limit is not). */
  moving(): { panTilt: boolean; zoom: boolean } {
    if (this.now() >= this.until) return { panTilt: false, zoom: false };
    const p = this.position();
    const axis = (v: number, at: number, lo: number, hi: number) => (v > 0 && at < hi) || (v < 0 && at > lo);
    return {
      panTilt: axis(this.velocity.x, p.x, -1, 1) || axis(this.velocity.y, p.y, -1, 1),
      zoom: axis(this.velocity.zoom, p.zoom, 0, 1),
    };
  }

  /** Starts moving at `velocity` (each axis in [-1, 1]) for `timeoutMs`, or until Stop. */
  continuousMove(velocity: PtzVelocity, timeoutMs?: number): 'ok' | PtzRefusal {
    if (![velocity.x, velocity.y, velocity.zoom].every((v) => inRange(v, -1, 1))) return 'out-of-range';
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) return 'out-of-range';
    this.settle();
    this.velocity = { ...velocity };
    this.until = this.since + Math.min(timeoutMs ?? MAX_CONTINUOUS_MS, MAX_CONTINUOUS_MS);
    return 'ok';
  }

  /** Stops pan/tilt, zoom or both where they are. */
  stop(panTilt = true, zoom = true): void {
    const remaining = Math.max(0, this.until - this.now());
    this.settle();
    const v = this.velocity;
    this.velocity = { x: panTilt ? 0 : v.x, y: panTilt ? 0 : v.y, zoom: zoom ? 0 : v.zoom };
    this.until = this.since + remaining;
  }

  absoluteMove(target: Partial<PtzPosition>): 'ok' | PtzRefusal {
    const p = this.position();
    const next = { x: target.x ?? p.x, y: target.y ?? p.y, zoom: target.zoom ?? p.zoom };
    if (!inRange(next.x, -1, 1) || !inRange(next.y, -1, 1) || !inRange(next.zoom, 0, 1)) return 'out-of-range';
    this.place(next);
    return 'ok';
  }

  /** Moves by `delta` (clamped at the limits, as a camera's head stops there). */
  relativeMove(delta: Partial<PtzPosition>): 'ok' | PtzRefusal {
    const d = { x: delta.x ?? 0, y: delta.y ?? 0, zoom: delta.zoom ?? 0 };
    if (!inRange(d.x, -2, 2) || !inRange(d.y, -2, 2) || !inRange(d.zoom, -1, 1)) return 'out-of-range';
    const p = this.position();
    this.place({ x: clamp(p.x + d.x, -1, 1), y: clamp(p.y + d.y, -1, 1), zoom: clamp(p.zoom + d.zoom, 0, 1) });
    return 'ok';
  }

  presets(): PtzPreset[] {
    return [...this.presetsByToken.values()];
  }

  /** Saves the current position as a new preset, or over the preset `token`; answers its token. */
  setPreset(name: string | undefined, token?: string): { token: string } | PtzRefusal {
    if (token !== undefined && !this.presetsByToken.has(token)) return 'no-such-preset';
    const existing = token === undefined ? undefined : this.presetsByToken.get(token);
    const chosen = (name ?? existing?.name ?? '').trim();
    if (chosen.length > MAX_PRESET_NAME || /[\u0000-\u001f]/.test(chosen)) return 'bad-name';
    if (chosen !== '' && this.presets().some((p) => p.name === chosen && p.token !== token)) return 'name-taken';
    if (token === undefined && this.presetsByToken.size >= MAX_PRESETS) return 'too-many-presets';
    const t = token ?? `preset_${this.nextToken++}`;
    this.presetsByToken.set(t, { token: t, name: chosen || t, position: this.position() });
    return { token: t };
  }

  gotoPreset(token: string): 'ok' | PtzRefusal {
    const preset = this.presetsByToken.get(token);
    if (!preset) return 'no-such-preset';
    this.place(preset.position);
    return 'ok';
  }

  removePreset(token: string): 'ok' | PtzRefusal {
    return this.presetsByToken.delete(token) ? 'ok' : 'no-such-preset';
  }

  /** Makes the position reached so far the new base (before a new command). */
  private settle(): void {
    this.base = this.position();
    this.since = this.now();
  }

  private place(p: PtzPosition): void {
    this.base = { ...p };
    this.since = this.until = this.now();
    this.velocity = ZERO;
  }
}
