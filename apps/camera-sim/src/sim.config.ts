import { TiergateError } from '@tiergate/domain';
import type { FleetOptions } from './fleet';

/**
 * Pure: reads the standalone simulator's options from an environment map, failing with one message
 * that names every bad key.
 *   SIM_CAMERAS (default 4), SIM_FIRST_ADDRESS, SIM_ONVIF_PORT, SIM_RTSP_PORT, SIM_DISCOVERY_PORT,
 *   SIM_USERNAME, SIM_PASSWORD, SIM_RTSP_AUTH (true/false), SIM_LABEL_PER_CAMERA (true/false),
 *   SIM_FIXTURES_DIR, SIM_MULTICAST_INTERFACE, SIM_PTZ (true/false: every camera has a PTZ head).
 */
export function parseSimEnv(env: Readonly<Record<string, string | undefined>>): FleetOptions {
  const errors: string[] = [];
  const int = (key: string, min: number, max: number): number | undefined => {
    const raw = env[key];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      errors.push(`${key} must be an integer ${min}..${max}`);
      return undefined;
    }
    return n;
  };
  const bool = (key: string): boolean | undefined => {
    const raw = env[key]?.toLowerCase();
    if (raw === undefined || raw === '') return undefined;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    errors.push(`${key} must be true or false`);
    return undefined;
  };
  const str = (key: string): string | undefined => (env[key] ? env[key] : undefined);
  const first = str('SIM_FIRST_ADDRESS');
  if (first !== undefined && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(first)) errors.push('SIM_FIRST_ADDRESS must be a 127.x.y.z address');
  const options: FleetOptions = {
    count: int('SIM_CAMERAS', 1, 5000) ?? 4,
    firstAddress: first,
    onvifPort: int('SIM_ONVIF_PORT', 1, 65535),
    rtspPort: int('SIM_RTSP_PORT', 1, 65535),
    discoveryPort: int('SIM_DISCOVERY_PORT', 1, 65535),
    username: str('SIM_USERNAME'),
    password: str('SIM_PASSWORD'),
    rtspAuth: bool('SIM_RTSP_AUTH'),
    labelPerCamera: bool('SIM_LABEL_PER_CAMERA'),
    fixturesDir: str('SIM_FIXTURES_DIR'),
    multicastInterface: str('SIM_MULTICAST_INTERFACE'),
    ptz: bool('SIM_PTZ'),
  };
  if (errors.length > 0) throw new TiergateError('VALIDATION_FAILED', `invalid camera-sim configuration: ${errors.join('; ')}`);
  return options;
}
