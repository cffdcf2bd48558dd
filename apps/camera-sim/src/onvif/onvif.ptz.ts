import { attr, child, escapeXml as x, parseXsDuration, text } from '@tiergate/onvif';
import type { PtzPosition, PtzRefusal, SimPtz } from '../camera/sim-ptz';
import { MAX_PRESETS } from '../camera/sim-ptz';

/**
 * The simulated camera's ONVIF PTZ service (ver20): GetNodes, GetConfigurations, GetStatus, ContinuousMove, Stop,
 * AbsoluteMove, RelativeMove and the presets (GetPresets, SetPreset, GotoPreset, RemovePreset) on one SimPtz.
 * Pure: a request payload in, a response body or a fault out (the handler wraps either in SOAP).
 */

export const PTZ_SERVICE_PATH = '/onvif/ptz_service';
export const PTZ_NODE_TOKEN = 'ptz_node_1';
export const PTZ_CONFIGURATION_TOKEN = 'ptz_config_1';

export const PTZ_OPERATIONS: ReadonlySet<string> = new Set([
  'GetNodes',
  'GetNode',
  'GetConfigurations',
  'GetStatus',
  'ContinuousMove',
  'Stop',
  'AbsoluteMove',
  'RelativeMove',
  'GetPresets',
  'SetPreset',
  'GotoPreset',
  'RemovePreset',
]);

export type PtzAnswer = { xml: string } | { fault: string; reason: string };

const SPACE = {
  position: 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace',
  zoomPosition: 'http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace',
  translation: 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace',
  zoomTranslation: 'http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace',
  velocity: 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace',
  zoomVelocity: 'http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace',
};

const REFUSAL: Record<PtzRefusal, { fault: string; reason: string }> = {
  'too-many-presets': { fault: 'ter:TooManyPresets', reason: `At most ${MAX_PRESETS} presets` },
  'no-such-preset': { fault: 'ter:NoToken', reason: 'The requested preset token does not exist' },
  'bad-name': { fault: 'ter:InvalidPresetName', reason: 'The preset name is too long or has control characters' },
  'name-taken': { fault: 'ter:PresetExist', reason: 'A preset with this name exists' },
  'out-of-range': { fault: 'ter:InvalidArgVal', reason: 'A value is outside its space' },
};

const refused = (r: PtzRefusal): PtzAnswer => REFUSAL[r];
const bad = (reason: string): PtzAnswer => ({ fault: 'ter:InvalidArgVal', reason });
const done = (r: 'ok' | PtzRefusal, xml: string): PtzAnswer => (r === 'ok' ? { xml } : refused(r));

/** A number attribute; undefined when absent, NaN when present but not a number. */
function num(node: unknown, name: string): number | undefined {
  const v = attr(node, name);
  return v === undefined ? undefined : v.trim() === '' ? NaN : Number(v);
}

/** `<PanTilt x= y=/><Zoom x=/>` of a vector element; `invalid` when a value is not a number. */
function vector(node: unknown): Partial<PtzPosition> | 'invalid' {
  const pt = child(node, 'PanTilt');
  const z = child(node, 'Zoom');
  const v = { x: num(pt, 'x'), y: num(pt, 'y'), zoom: num(z, 'x') };
  if (Object.values(v).some((n) => n !== undefined && !Number.isFinite(n))) return 'invalid';
  return Object.fromEntries(Object.entries(v).filter(([, n]) => n !== undefined)) as Partial<PtzPosition>;
}

const f = (n: number): string => String(Math.round(n * 1e6) / 1e6);

function positionXml(p: PtzPosition): string {
  return `<tt:PanTilt x="${f(p.x)}" y="${f(p.y)}" space="${SPACE.position}"/><tt:Zoom x="${f(p.zoom)}" space="${SPACE.zoomPosition}"/>`;
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function nodeXml(): string {
  const range = (uri: string, lo: number, hi: number, y = true) =>
    `<tt:URI>${uri}</tt:URI><tt:XRange><tt:Min>${lo}</tt:Min><tt:Max>${hi}</tt:Max></tt:XRange>` + (y ? `<tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange>` : '');
  return (
    `<tptz:PTZNode token="${PTZ_NODE_TOKEN}" FixedHomePosition="false"><tt:Name>PTZ</tt:Name><tt:SupportedPTZSpaces>` +
    `<tt:AbsolutePanTiltPositionSpace>${range(SPACE.position, -1, 1)}</tt:AbsolutePanTiltPositionSpace>` +
    `<tt:AbsoluteZoomPositionSpace>${range(SPACE.zoomPosition, 0, 1, false)}</tt:AbsoluteZoomPositionSpace>` +
    `<tt:RelativePanTiltTranslationSpace>${range(SPACE.translation, -2, 2)}</tt:RelativePanTiltTranslationSpace>` +
    `<tt:RelativeZoomTranslationSpace>${range(SPACE.zoomTranslation, -1, 1, false)}</tt:RelativeZoomTranslationSpace>` +
    `<tt:ContinuousPanTiltVelocitySpace>${range(SPACE.velocity, -1, 1)}</tt:ContinuousPanTiltVelocitySpace>` +
    `<tt:ContinuousZoomVelocitySpace>${range(SPACE.zoomVelocity, -1, 1, false)}</tt:ContinuousZoomVelocitySpace>` +
    `</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>${MAX_PRESETS}</tt:MaximumNumberOfPresets><tt:HomeSupported>false</tt:HomeSupported></tptz:PTZNode>`
  );
}

/** The profile's PTZ configuration (also carried by GetProfiles' profiles when the camera has PTZ). */
export function ptzConfigurationXml(tag = 'tptz:PTZConfiguration'): string {
  return (
    `<${tag} token="${PTZ_CONFIGURATION_TOKEN}"><tt:Name>PTZConfig</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>${PTZ_NODE_TOKEN}</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>${SPACE.position}</tt:DefaultAbsolutePantTiltPositionSpace>` +
    `<tt:DefaultContinuousPanTiltVelocitySpace>${SPACE.velocity}</tt:DefaultContinuousPanTiltVelocitySpace>` +
    `<tt:DefaultContinuousZoomVelocitySpace>${SPACE.zoomVelocity}</tt:DefaultContinuousZoomVelocitySpace>` +
    `<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout></${tag}>`
  );
}

/** Answers one PTZ operation. `profileTokens`: the camera's media profiles (each carries the PTZ configuration). */
export function answerPtz(ptz: SimPtz, operation: string, payload: unknown, profileTokens: readonly string[], now: Date): PtzAnswer {
  const profileOk = (): boolean => profileTokens.includes(text(child(payload, 'ProfileToken')) ?? '');
  const noProfile: PtzAnswer = { fault: 'ter:NoProfile', reason: 'The requested profile token does not exist' };
  switch (operation) {
    case 'GetNodes':
      return { xml: `<tptz:GetNodesResponse>${nodeXml()}</tptz:GetNodesResponse>` };
    case 'GetNode':
      return text(child(payload, 'NodeToken')) === PTZ_NODE_TOKEN ? { xml: `<tptz:GetNodeResponse>${nodeXml()}</tptz:GetNodeResponse>` } : { fault: 'ter:NoEntity', reason: 'No such PTZ node' };
    case 'GetConfigurations':
      return { xml: `<tptz:GetConfigurationsResponse>${ptzConfigurationXml()}</tptz:GetConfigurationsResponse>` };
  }
  if (!profileOk()) return noProfile;
  switch (operation) {
    case 'GetStatus': {
      const m = ptz.moving();
      const state = (b: boolean) => (b ? 'MOVING' : 'IDLE');
      return {
        xml:
          `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>${positionXml(ptz.position())}</tt:Position>` +
          `<tt:MoveStatus><tt:PanTilt>${state(m.panTilt)}</tt:PanTilt><tt:Zoom>${state(m.zoom)}</tt:Zoom></tt:MoveStatus>` +
          `<tt:UtcTime>${iso(now)}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`,
      };
    }
    case 'ContinuousMove': {
      const v = vector(child(payload, 'Velocity'));
      if (v === 'invalid') return bad('Velocity values must be numbers');
      const rawTimeout = text(child(payload, 'Timeout'));
      const timeout = parseXsDuration(rawTimeout);
      if (rawTimeout !== undefined && timeout === undefined) return bad('Timeout must be an xs:duration');
      return done(ptz.continuousMove({ x: v.x ?? 0, y: v.y ?? 0, zoom: v.zoom ?? 0 }, timeout), '<tptz:ContinuousMoveResponse/>');
    }
    case 'Stop': {
      const flag = (name: string) => (text(child(payload, name)) ?? 'true').trim() !== 'false';
      ptz.stop(flag('PanTilt'), flag('Zoom'));
      return { xml: '<tptz:StopResponse/>' };
    }
    case 'AbsoluteMove': {
      const p = vector(child(payload, 'Position'));
      return p === 'invalid' ? bad('Position values must be numbers') : done(ptz.absoluteMove(p), '<tptz:AbsoluteMoveResponse/>');
    }
    case 'RelativeMove': {
      const d = vector(child(payload, 'Translation'));
      return d === 'invalid' ? bad('Translation values must be numbers') : done(ptz.relativeMove(d), '<tptz:RelativeMoveResponse/>');
    }
    case 'GetPresets':
      return {
        xml:
          `<tptz:GetPresetsResponse>` +
          ptz.presets().map((p) => `<tptz:Preset token="${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name><tt:PTZPosition>${positionXml(p.position)}</tt:PTZPosition></tptz:Preset>`).join('') +
          `</tptz:GetPresetsResponse>`,
      };
    case 'SetPreset': {
      const saved = ptz.setPreset(text(child(payload, 'PresetName')), text(child(payload, 'PresetToken')) || undefined);
      return typeof saved === 'string' ? refused(saved) : { xml: `<tptz:SetPresetResponse><tptz:PresetToken>${x(saved.token)}</tptz:PresetToken></tptz:SetPresetResponse>` };
    }
    case 'GotoPreset':
      return done(ptz.gotoPreset(text(child(payload, 'PresetToken')) ?? ''), '<tptz:GotoPresetResponse/>');
    case 'RemovePreset':
      return done(ptz.removePreset(text(child(payload, 'PresetToken')) ?? ''), '<tptz:RemovePresetResponse/>');
    default:
      return { fault: 'ter:ActionNotSupported', reason: 'Optional Action Not Implemented' };
  }
}
