// The words a tile shows for its stream, in Chinese and English (the console's two working languages on a wall).

const WORDS = {
  connecting: ['连接中', 'connecting'],
  live: ['直播', 'live'],
  stalled: ['卡顿', 'stalled'],
  offline: ['离线', 'offline'],
};

/** The states a live player goes through; anything else is shown as it is. */
export const LIVE_STATES = Object.keys(WORDS);

const hhmm = (ms) => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** "直播 · live"; offline with the time it went offline: "离线 (自 14:05) · offline (since 14:05)". */
export function liveStateText(state, sinceMs) {
  const [zh, en] = WORDS[state] ?? [state, state];
  if (state === 'offline' && sinceMs) {
    const t = hhmm(sinceMs);
    return `${zh} (自 ${t}) · ${en} (since ${t})`;
  }
  return `${zh} · ${en}`;
}
