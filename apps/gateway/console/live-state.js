// The words a tile shows for its stream, in the console's language (tables in i18n/: 直播 / live ...).
import { formatTime, t } from './i18n.js';

/** The states a live player goes through; anything else is shown as it is. */
export const LIVE_STATES = ['connecting', 'live', 'stalled', 'offline'];

/** "直播" / "live"; offline with the time it went offline: "离线（自 14:05）" / "offline (since 14:05)". */
export function liveStateText(state, sinceMs) {
  if (!LIVE_STATES.includes(state)) return String(state);
  if (state === 'offline' && sinceMs) return t('live.offlineSince', { time: formatTime(sinceMs) });
  return t(`live.${state}`);
}
