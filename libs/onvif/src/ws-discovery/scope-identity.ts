/**
 * Pure: who made a device and which model it is, from its WS-Discovery scopes.
 *
 * ONVIF Core (7.3.2.2, Table 8) gives every device fixed `onvif://www.onvif.org/name/…` and
 * `…/hardware/…` scopes. Real devices put the vendor (often followed by the model) in `name/` and the
 * model in `hardware/`, URL-encoded: `name/AXIS%20M2036-LE` + `hardware/M2036-LE`,
 * `name/HIKVISION%20DS-2CD2142FWD-I`, `name/Bosch`, `name/Amcrest`. Some also send a non-standard
 * `mfr/` or `manufacturer/` scope; when present it is taken as given. `name/` is also writable by the
 * owner (`name/Front%20door`), so it names the vendor only when it starts with a known vendor's name.
 */

export interface ScopeIdentity {
  /** As the device spells it (`AXIS`, `HIKVISION`, `Bosch`). */
  manufacturer?: string;
  model?: string;
  /** The whole decoded `name/` scope. */
  name?: string;
}

const PREFIX = 'onvif://www.onvif.org/';
const MAX_VALUE = 128;

/**
 * Vendors of ONVIF cameras as they appear at the start of a `name/` scope, compared case-insensitively
 * and ignoring spaces, `-` and `_` (`TP-LINK`, `TP Link`). Longest first, so `Hanwha Vision` wins over
 * `Hanwha`.
 */
const KNOWN_VENDORS: readonly string[] = [
  'ACTi', 'Amcrest', 'Annke', 'Arecont Vision', 'Avigilon', 'AXIS', 'Bosch', 'Canon', 'Dahua', 'D-Link',
  'EZVIZ', 'FLIR', 'Foscam', 'GeoVision', 'Grandstream', 'Hanwha Vision', 'Hanwha', 'HIKVISION', 'Honeywell',
  'Imou', 'Lorex', 'Milesight', 'Mobotix', 'Panasonic', 'Pelco', 'Reolink', 'Samsung', 'Sony', 'Sunell',
  'Swann', 'Tapo', 'TP-Link', 'Tiandy', 'Ubiquiti', 'Uniview', 'UNV', 'Vivotek', 'Wisenet', 'Hanwha Techwin',
].slice().sort((a, b) => squash(b).length - squash(a).length);

function squash(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The decoded value of the first scope `onvif://www.onvif.org/<key>/<value>` (key compared case-insensitively). */
export function scopeValue(scopes: readonly string[], key: string): string | undefined {
  const prefix = `${PREFIX}${key.toLowerCase()}/`;
  for (const s of scopes) {
    if (!s.toLowerCase().startsWith(prefix)) continue;
    const raw = s.slice(prefix.length);
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      value = raw; // a badly encoded scope is kept as written rather than dropped
    }
    // Control characters never belong in a name; `_` (some firmwares' space) is left to splitVendor.
    value = value.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_VALUE);
    if (value) return value;
  }
  return undefined;
}

/** Splits `AXIS M2036-LE` into the known vendor and the rest; undefined when the name starts with no known vendor. */
export function splitVendor(name: string): { vendor: string; rest: string } | undefined {
  const words = name.split(/[\s_]+/).filter(Boolean);
  // A vendor is one or two words (`Hanwha Vision`, `Arecont Vision`); compare the squashed prefixes.
  for (const vendor of KNOWN_VENDORS) {
    const want = squash(vendor);
    for (let n = 1; n <= Math.min(2, words.length); n++) {
      if (squash(words.slice(0, n).join('')) !== want) continue;
      return { vendor: words.slice(0, n).join(' '), rest: words.slice(n).join(' ') };
    }
  }
  return undefined;
}

/**
 * Manufacturer and model from scopes: `mfr/` (or `manufacturer/`) if present, else the known vendor that
 * starts `name/`; the model is `hardware/`, else what follows the vendor in `name/`. A `hardware/` that
 * is just the vendor's name again (`hardware/Dahua`) is no model.
 */
export function identityOfScopes(scopes: readonly string[]): ScopeIdentity {
  const name = scopeValue(scopes, 'name');
  const split = name ? splitVendor(name) : undefined;
  const manufacturer = scopeValue(scopes, 'mfr') ?? scopeValue(scopes, 'manufacturer') ?? split?.vendor;
  let model = scopeValue(scopes, 'hardware');
  if (model && manufacturer && squash(model) === squash(manufacturer)) model = undefined;
  if (!model && split?.rest) model = split.rest;
  const out: ScopeIdentity = {};
  if (manufacturer) out.manufacturer = manufacturer;
  if (model) out.model = model;
  if (name) out.name = name;
  return out;
}
