import { TiergateError } from '@tiergate/domain';
import { parseServiceXAddr, readDeviceAnswer } from '../soap/device-answer';
import { attr, child, children, escapeXml, text } from '../soap/xml';

export { saysNotSupported } from '../soap/device-answer';

/**
 * Pure ONVIF PTZ (ver20) codec: the request bodies a client sends (GetCapabilities for the PTZ XAddr, GetProfiles
 * for a profile with a PTZ configuration, GetStatus, ContinuousMove, Stop, AbsoluteMove, the presets) and the reading
 * of what a camera answers, trusting nothing: numbers checked and clamped to their spaces, lists and texts capped.
 */

export const PTZ_NS = 'http://www.onvif.org/ver20/ptz/wsdl';
const TT_NS = 'http://www.onvif.org/ver10/schema';
/** At most this many presets are read from one answer (ONVIF cameras hold 8 to 256). */
export const MAX_PRESETS_READ = 256;
const MAX_TOKEN = 64;
const MAX_NAME = 64;

export interface PtzVector {
  /** Pan, in [-1, 1]. */
  pan: number;
  /** Tilt, in [-1, 1]. */
  tilt: number;
  /** Zoom: a position in [0, 1], a velocity in [-1, 1]. */
  zoom: number;
}

export interface PtzStatus {
  position: PtzVector | null;
  moving: boolean;
}

export interface PtzPresetInfo {
  token: string;
  name: string;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const f = (n: number): string => String(Math.round(n * 1e4) / 1e4);
/** ms as an xs:duration with milliseconds (`PT1.5S`). */
export const xsMillis = (ms: number): string => `PT${f(Math.max(0, Math.round(ms)) / 1000)}S`;
const tok = (s: string): string => `<ProfileToken>${escapeXml(s)}</ProfileToken>`;
const op = (name: string, inner: string): string => `<${name} xmlns="${PTZ_NS}">${inner}</${name}>`;

export const ptzRequests = {
  getCapabilities: (): string => `<GetCapabilities xmlns="http://www.onvif.org/ver10/device/wsdl"><Category>PTZ</Category></GetCapabilities>`,
  getProfiles: (): string => `<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>`,
  getStatus: (profile: string): string => op('GetStatus', tok(profile)),
  continuousMove: (profile: string, v: PtzVector, timeoutMs: number): string =>
    op(
      'ContinuousMove',
      tok(profile) +
        `<Velocity><PanTilt xmlns="${TT_NS}" x="${f(clamp(v.pan, -1, 1))}" y="${f(clamp(v.tilt, -1, 1))}"/><Zoom xmlns="${TT_NS}" x="${f(clamp(v.zoom, -1, 1))}"/></Velocity>` +
        `<Timeout>${xsMillis(timeoutMs)}</Timeout>`,
    ),
  stop: (profile: string): string => op('Stop', `${tok(profile)}<PanTilt>true</PanTilt><Zoom>true</Zoom>`),
  absoluteMove: (profile: string, p: PtzVector): string =>
    op('AbsoluteMove', tok(profile) + `<Position><PanTilt xmlns="${TT_NS}" x="${f(clamp(p.pan, -1, 1))}" y="${f(clamp(p.tilt, -1, 1))}"/><Zoom xmlns="${TT_NS}" x="${f(clamp(p.zoom, 0, 1))}"/></Position>`),
  getPresets: (profile: string): string => op('GetPresets', tok(profile)),
  setPreset: (profile: string, name: string, token?: string): string =>
    op('SetPreset', tok(profile) + `<PresetName>${escapeXml(name)}</PresetName>` + (token ? `<PresetToken>${escapeXml(token)}</PresetToken>` : '')),
  gotoPreset: (profile: string, token: string): string => op('GotoPreset', tok(profile) + `<PresetToken>${escapeXml(token)}</PresetToken>`),
};

const clean = (s: string | undefined, max: number): string => (s ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, max);

/** One PTZ answer read (readDeviceAnswer: faults and wrong operations are CAMERA_PROTOCOL_ERROR). */
export const readPtzAnswer = readDeviceAnswer;

/** The PTZ service address from a GetCapabilities answer; undefined when the camera has none. */
export const parsePtzXAddr = (xml: string): URL | undefined => parseServiceXAddr(xml, 'PTZ');

/** The token of the first media profile with a PTZ configuration; undefined when none has one. */
export function parsePtzProfileToken(xml: string): string | undefined {
  const msg = readPtzAnswer(xml, 'GetProfilesResponse', 'GetProfiles');
  for (const p of children(msg.payload, 'Profiles').slice(0, 64)) {
    const token = clean(attr(p, 'token'), MAX_TOKEN + 1);
    if (child(p, 'PTZConfiguration') !== undefined && token && token.length <= MAX_TOKEN) return token;
  }
  return undefined;
}

const num = (node: unknown, name: string, lo: number, hi: number): number | undefined => {
  const n = Number(attr(node, name));
  return attr(node, name) !== undefined && Number.isFinite(n) ? clamp(n, lo, hi) : undefined;
};

/** GetStatus: the position (null when the camera does not report one) and whether it moves. */
export function parsePtzStatus(xml: string): PtzStatus {
  const msg = readPtzAnswer(xml, 'GetStatusResponse', 'GetStatus');
  const status = child(msg.payload, 'PTZStatus');
  const pos = child(status, 'Position');
  const pan = num(child(pos, 'PanTilt'), 'x', -1, 1);
  const tilt = num(child(pos, 'PanTilt'), 'y', -1, 1);
  const zoom = num(child(pos, 'Zoom'), 'x', 0, 1);
  const move = child(status, 'MoveStatus');
  const moving = [text(child(move, 'PanTilt')), text(child(move, 'Zoom'))].some((s) => (s ?? '').trim().toUpperCase() === 'MOVING');
  return { position: pan === undefined || tilt === undefined ? null : { pan, tilt, zoom: zoom ?? 0 }, moving };
}

export function parsePtzPresets(xml: string): PtzPresetInfo[] {
  const msg = readPtzAnswer(xml, 'GetPresetsResponse', 'GetPresets');
  const out: PtzPresetInfo[] = [];
  for (const p of children(msg.payload, 'Preset').slice(0, MAX_PRESETS_READ)) {
    const token = clean(attr(p, 'token'), MAX_TOKEN + 1);
    if (!token || token.length > MAX_TOKEN) continue;
    out.push({ token, name: clean(text(child(p, 'Name')), MAX_NAME) || token });
  }
  return out;
}

export function parseSetPreset(xml: string): string {
  const msg = readPtzAnswer(xml, 'SetPresetResponse', 'SetPreset');
  const token = clean(text(child(msg.payload, 'PresetToken')), MAX_TOKEN + 1);
  if (!token || token.length > MAX_TOKEN) throw new TiergateError('CAMERA_PROTOCOL_ERROR', 'the camera answered SetPreset without a usable preset token');
  return token;
}
