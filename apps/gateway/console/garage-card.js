// One card of the post PC's garage screen: the latest snapshot (click: live, full screen), its age ("12 秒前" /
// "12 s ago", redrawn every second by the screen), grey once stale (thumbnail-age.js), an offline camera's
// "since when", and a replay button when the camera has recordings (docs/operators.md "Garage thumbnails").
import { formatDate, formatTime, t } from './i18n.js';
import { liveStateText } from './live-state.js';
import { openLive, openReplay } from './overlay.js';
import { ageParts, isStale } from './thumbnail-age.js';
import { h, statusBadge, statusColour } from './util.js';

/** A replay starts this long before the end of the newest recording. */
export const REPLAY_BACK_MS = 120_000;

const sameDay = (a, b) => new Date(a).toDateString() === new Date(b).toDateString();

/** "offline (since 14:05)", or with the date when it was not today; "offline" without a time. */
export function offlineSinceText(sinceMs, now = Date.now()) {
  if (!sinceMs) return liveStateText('offline');
  if (sameDay(sinceMs, now)) return liveStateText('offline', sinceMs);
  return t('garages.offlineSinceDate', { date: formatDate(sinceMs, { dateStyle: 'short', timeStyle: 'short' }) });
}

/** The age of a picture in words: "12 秒前" / "12 s ago", "3 min ago", "2 h ago". */
export function ageText(now, takenAt) {
  const { unit, value } = ageParts(now, takenAt);
  return t(`garages.age.${unit}`, { count: value });
}

/**
 * The card of `cam` ({id, name, status, lastSeenAt}). `refreshMs` is the snapshot period (staleness is a multiple
 * of it). Returns the card object the screen drives: node, showSnapshot(url), noSnapshot(), setStatus(status,
 * sinceMs), setRecording(latestSpan | null), tick(now).
 */
export function garageCard(cam, { refreshMs }) {
  const img = h('img', { class: 'snapshot', alt: '', hidden: true });
  const badge = h('span', {}, statusBadge(cam.status));
  const dot = h('span', { class: 'dot' });
  const placeholder = h('div', { class: 'snapshot-placeholder' }, h('strong', {}, cam.name), badge);
  const age = h('span', { class: 'garage-age', 'aria-live': 'off' });
  const since = h('span', { class: 'garage-since', hidden: true });
  const replay = h('button', { type: 'button', class: 'garage-replay', hidden: true, onclick: () => c.replay() }, t('garages.replay'));
  const open = h('button', { type: 'button', class: 'garage-open', title: t('garages.openLive'), onclick: () => openLive(c.cam, 'main') },
    h('div', { class: 'snapshot-box' }, img, placeholder),
    h('div', { class: 'garage-label' }, dot, ' ', cam.name));
  const node = h('div', { class: 'garage-card', dataset: { cameraId: cam.id } }, open, h('div', { class: 'garage-meta' }, age, ' ', since, ' ', replay));
  const c = {
    cam, node, img, url: null, takenAt: null, noSnapshotUntil: 0, sinceMs: null, latestSpan: null,
    showSnapshot(url) {
      img.src = url;
      img.hidden = false;
      placeholder.hidden = true;
      c.url = url;
      c.takenAt = Date.now();
      c.tick(c.takenAt);
    },
    /** The refresh failed: the last picture stays (it turns grey once stale); without one, name and status. */
    noSnapshot() {
      if (!c.url) {
        img.hidden = true;
        placeholder.hidden = false;
      }
      c.tick(Date.now());
    },
    setStatus(status, sinceMs) {
      c.cam = { ...c.cam, status };
      // "since": the push channel's time of the change, else the last time it was seen (the list's lastSeenAt)
      c.sinceMs = sinceMs ?? (Date.parse(c.cam.lastSeenAt ?? '') || null);
      node.dataset.status = status;
      node.style.borderColor = statusColour(status);
      dot.style.background = statusColour(status);
      badge.replaceChildren(statusBadge(status));
      since.hidden = status !== 'offline';
      since.textContent = status === 'offline' ? offlineSinceText(c.sinceMs) : '';
    },
    setRecording(span) {
      c.latestSpan = span;
      replay.hidden = !span;
      node.dataset.recorded = span ? 'true' : 'false';
    },
    replay() {
      if (!c.latestSpan) return;
      const from = Math.max(Date.parse(c.latestSpan.from), Date.parse(c.latestSpan.to) - REPLAY_BACK_MS);
      openReplay(c.cam, from);
    },
    /** Redraws the age and the grey of a stale picture. */
    tick(now) {
      const stale = isStale(now, c.takenAt, refreshMs);
      node.classList.toggle('stale', stale);
      node.dataset.stale = String(stale);
      age.textContent = c.takenAt === null ? t('garages.noPicture') : ageText(now, c.takenAt);
      age.title = c.takenAt === null ? '' : t('garages.takenAt', { time: formatTime(c.takenAt) });
      if (c.cam.status === 'offline') since.textContent = offlineSinceText(c.sinceMs, now);
    },
  };
  c.setStatus(cam.status);
  c.setRecording(null);
  return c;
}
