/**
 * Pure: which media profile is the camera's main stream and which are sub streams.
 *
 * The resolution in a profile's video encoder configuration is the usual tell, but real devices do
 * not always send one: a Dahua-firmware NVR (the firmware Lorex recorders run) answers GetProfiles with
 * an empty `VideoEncoderConfiguration` on the main stream and none at all on the sub streams, so by
 * resolution alone every profile is 0×0. What the device says about a profile, in its name or token and
 * in its stream URI, is therefore read first:
 *
 *  - names and tokens: `MainStream`/`SubStream1`, `mainStream`, `main`/`sub`, `主码流`/`子码流`/`第三码流`
 *  - stream URIs: Hikvision `/Streaming/Channels/101` (main) vs `102`/`103`; Dahua and Amcrest
 *    `subtype=0` vs `subtype=1`; Bosch `inst=1` vs `inst=2`; TP-Link/Tapo `/stream1` vs `/stream2`;
 *    Reolink `h264Preview_01_main` vs `_sub`; Uniview `/media/video1` vs `video2`; `/main` vs `/sub`
 *  - a trailing `_1`/`_2` (Hikvision `Profile_1`/`Profile_2`), weakest, only when nothing else speaks.
 *
 * Then: a profile the device calls main is main (the largest of them when several are); otherwise the
 * largest profile with a known resolution that the device does not call sub; a profile of unknown size
 * (0×0) is main only when the device calls it so or no profile has a known size, and then the first in
 * the device's order (devices list the main stream first). Exactly one profile is main.
 */

export type ProfileKind = 'main' | 'sub';

export interface KindInput {
  token: string;
  name: string;
  width: number;
  height: number;
  /** The profile's RTSP URI when known (GetStreamUri); its path and query are read. */
  streamUri?: string;
}

const MAIN_WORDS = /main[\s_-]*stream|主码流|(?:^|[^a-z])main(?:$|[^a-z])|(?:^|[^a-z])(?:major|primary)(?:$|[^a-z])/i;
const SUB_WORDS = /sub[\s_-]*stream|子码流|第[二三]码流|third[\s_-]*stream|(?:^|[^a-z])(?:sub|minor|second|third|mobile)(?:$|[^a-z0-9])|(?:^|[^a-z])sub\d/i;

/** What a profile's name or token says: main, sub, or nothing. */
export function kindOfLabel(label: string): ProfileKind | undefined {
  const sub = SUB_WORDS.test(label);
  const main = MAIN_WORDS.test(label);
  if (sub && !main) return 'sub';
  if (main && !sub) return 'main';
  return undefined;
}

/** The weakest hint: a trailing stream number (`Profile_1`, `profile_2_h264`, `Stream2`). */
function kindOfNumber(label: string): ProfileKind | undefined {
  // No leading zeros: zero-padded tokens (Dahua `Profile000`, `Profile001`) count from 0.
  const m = /(?:^|[_\s-])(?:profile|stream)?[_\s-]?([1-3])(?:[_\s-][a-z0-9]+)?$/i.exec(label.trim());
  if (!m) return undefined;
  return m[1] === '1' ? 'main' : 'sub';
}

/** What a stream URI says about its stream: main, sub, or nothing. */
export function kindOfStreamUri(uri: string): ProfileKind | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(u.pathname).toLowerCase();
  const q = u.searchParams;
  const param = (name: string): string | undefined => {
    for (const [k, v] of q) if (k.toLowerCase() === name) return v;
    return undefined;
  };
  // Dahua, Amcrest, Lorex: cam/realmonitor?channel=1&subtype=0 (main), 1 and 2 (sub).
  const subtype = param('subtype');
  if (subtype !== undefined && /^\d+$/.test(subtype)) return subtype === '0' ? 'main' : 'sub';
  // Bosch: ?line=1&inst=1 (first stream), inst=2, 3 ...
  const inst = param('inst');
  if (inst !== undefined && /^\d+$/.test(inst)) return inst === '1' ? 'main' : 'sub';
  // XMEye/HiSilicon: ...&channel=1&stream=0.sdp (main), stream=1.sdp (sub).
  const stream = param('stream');
  if (stream !== undefined && /^\d+(\.sdp)?$/.test(stream)) return stream.startsWith('0') ? 'main' : 'sub';
  // Hikvision (and many OEMs): /Streaming/Channels/101 = channel 1 stream 01 (main), 102, 103 (sub); /Channels/1, /2.
  const hik = /\/streaming\/channels\/(\d+)/.exec(path);
  if (hik) {
    const n = hik[1];
    const streamNo = n.length >= 3 ? Number(n.slice(-2)) : Number(n);
    return streamNo === 1 ? 'main' : 'sub';
  }
  // Reolink h264Preview_01_main / _sub, and /main, /sub, /mainstream, /live/main paths.
  if (/(?:^|[/_-])(?:main|mainstream|main_stream)(?:$|[/_.-])/.test(path)) return 'main';
  if (/(?:^|[/_-])(?:sub|substream|sub_stream)(?:$|[/_.-])/.test(path)) return 'sub';
  // TP-Link/Tapo /stream1 /stream2; Uniview /media/video1 /video2; /live/ch00_0 /ch00_1; /11 and /12.
  const numbered = /\/(?:stream|video|live|profile|media)(\d)(?:$|[/.?])/.exec(path);
  if (numbered) return numbered[1] === '1' ? 'main' : 'sub';
  const chSuffix = /\/ch\d+_(\d)(?:$|[/.])/.exec(path);
  if (chSuffix) return chSuffix[1] === '0' ? 'main' : 'sub';
  const hisi = /^\/(1|2)([1-3])$/.exec(path);
  if (hisi) return hisi[2] === '1' ? 'main' : 'sub';
  return undefined;
}

/**
 * What the device says about one profile. The URI is what the firmware actually streams, so it wins over
 * a (sometimes owner-editable) name when the two disagree; a trailing number counts only when neither speaks.
 */
export function kindHint(p: KindInput): ProfileKind | undefined {
  const byUri = p.streamUri ? kindOfStreamUri(p.streamUri) : undefined;
  if (byUri) return byUri;
  const byName = kindOfLabel(p.name) ?? kindOfLabel(p.token);
  if (byName) return byName;
  return kindOfNumber(p.name) ?? kindOfNumber(p.token);
}

/** Pure: the main profile and the sub profiles, as the module comment describes. */
export function assignProfileKinds<T extends KindInput>(profiles: readonly T[]): (T & { kind: ProfileKind })[] {
  if (profiles.length === 0) return [];
  const hints = profiles.map(kindHint);
  const area = (i: number): number => Math.max(0, profiles[i].width) * Math.max(0, profiles[i].height);
  const all = profiles.map((_, i) => i);
  const pools = [
    all.filter((i) => hints[i] === 'main'),
    all.filter((i) => hints[i] !== 'sub' && area(i) > 0),
    all.filter((i) => area(i) > 0),
    all.filter((i) => hints[i] !== 'sub'),
    all,
  ];
  const pool = pools.find((p) => p.length > 0)!;
  // The largest of the pool; on a tie the one the device lists first.
  const main = pool.reduce((best, i) => (area(i) > area(best) ? i : best), pool[0]);
  return profiles.map((p, i) => ({ ...p, kind: i === main ? 'main' : 'sub' }));
}
