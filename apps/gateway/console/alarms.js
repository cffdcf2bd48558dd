// The alarm panel (docs/alarms.md), on every screen while logged in: the motion, tamper and patrol alarms (an abnormal
// patrol mark raised as an alarm, shown with the officer's note) of the user's cameras
// (GET /api/alarms, then live over the push channel: `alarm` events of live-events.js), newest first, each with a note
// field and Acknowledge (POST /api/alarms/:id/ack). A new alarm plays a short tone (generated with WebAudio: no file),
// marks every wall tile of its camera with the CSS class `alarming` until it is acknowledged, and, with "pop onto the
// wall" on, puts its camera on the wall's first tile (wall.js popOntoWall). The two switches are kept per browser.
import { api, describeError } from './api.js';
import { formatTime, t } from './i18n.js';
import { subscribeEvents } from './live-events.js';
import { h } from './util.js';
import { popOntoWall } from './wall.js';

const PREFS_KEY = 'tiergate.alarms';
/** Alarms kept in the list (the newest). */
const MAX_SHOWN = 50;

function loadPrefs() {
  try { return { pop: false, sound: true, ...JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') }; } catch { return { pop: false, sound: true }; }
}

/** Test hook state (window.__tiergate.alarms()). */
const stats = { connected: false, sounds: 0, shown: 0 };
export const alarmStats = () => ({ ...stats });

let audio = null;
/** Two short rising beeps (~0.35 s). Browsers may keep audio suspended until the page was clicked once: then silent. */
function beep() {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const start = audio.currentTime + 0.01;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'square';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, start + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.18 + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + i * 0.18);
      osc.stop(start + i * 0.18 + 0.17);
    }
    stats.sounds += 1;
  } catch {
    // no audio on this machine
  }
}

export function mountAlarms() {
  const prefs = loadPrefs();
  /** id -> alarm (as GET /api/alarms or the `alarm` event has it). */
  const alarms = new Map();
  /** cameraId -> name (alarm events carry no names). */
  const names = new Map();
  let stopped = false;

  const persist = () => localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  const popBox = h('input', { type: 'checkbox', id: 'alarm-pop', checked: prefs.pop, onchange: () => { prefs.pop = popBox.checked; persist(); } });
  const soundBox = h('input', { type: 'checkbox', id: 'alarm-sound', checked: prefs.sound, onchange: () => { prefs.sound = soundBox.checked; persist(); } });
  const count = h('span', { class: 'alarm-count', id: 'alarm-count' });
  const list = h('ol', { class: 'alarm-list', id: 'alarm-list' });
  const none = h('p', { class: 'muted alarm-none' }, t('alarms.none'));
  const body = h('div', { class: 'alarm-body' }, h('div', { class: 'alarm-options' },
    h('label', {}, popBox, ` ${t('alarms.pop')}`), ' ', h('label', {}, soundBox, ` ${t('alarms.sound')}`)), none, list);
  const toggle = h('button', { type: 'button', class: 'alarm-toggle', 'aria-expanded': 'true', onclick: () => {
    panel.classList.toggle('collapsed');
    toggle.setAttribute('aria-expanded', String(!panel.classList.contains('collapsed')));
  } }, h('span', {}, t('alarms.title')), ' ', count);
  const panel = h('aside', { class: 'alarm-panel', id: 'alarm-panel', 'aria-label': t('alarms.title') }, toggle, body);
  document.body.append(panel);

  const alarming = () => new Set([...alarms.values()].filter((a) => a.state === 'new').map((a) => a.cameraId));

  /** Marks the wall tiles of cameras with a new alarm (tile.js rebuilds its class on every camera change: re-applied). */
  function markTiles() {
    const cams = alarming();
    for (const tile of document.querySelectorAll('.tile')) {
      const on = !!tile.dataset.cameraId && cams.has(tile.dataset.cameraId);
      if (tile.classList.contains('alarming') !== on) tile.classList.toggle('alarming', on);
    }
  }
  const observer = new MutationObserver(markTiles);
  observer.observe(document.getElementById('main') ?? document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'data-camera-id'] });

  function item(a) {
    const note = h('input', { name: 'note', maxLength: 500, placeholder: t('alarms.notePlaceholder'), 'aria-label': t('alarms.note') });
    const ack = h('button', { type: 'button', class: 'alarm-ack', onclick: async () => {
      ack.disabled = true;
      try {
        upsert(await api('POST', `/api/alarms/${encodeURIComponent(a.id)}/ack`, { note: note.value.trim() || undefined }));
      } catch (e) {
        ack.disabled = false;
        err.textContent = describeError(e);
      }
    } }, t('alarms.ack'));
    const err = h('span', { class: 'alarm-error', role: 'alert' });
    const when = `${formatTime(new Date(a.startedAt))}${a.count > 1 ? ` · ${t('alarms.times', { count: a.count })}` : ''}`;
    return h('li', { class: `alarm alarm-${a.state}${a.active ? ' alarm-active' : ''}`, dataset: { alarmId: a.id, cameraId: a.cameraId, kind: a.kind, state: a.state } },
      h('div', { class: 'alarm-head' },
        h('span', { class: `alarm-kind alarm-kind-${a.kind}` }, t(`alarms.kind.${a.kind}`)), ' ',
        h('span', { class: 'alarm-camera' }, names.get(a.cameraId) ?? a.cameraName ?? a.cameraId), ' ',
        h('span', { class: 'muted alarm-time' }, when), ' ',
        h('span', { class: 'muted' }, a.active ? t('alarms.active') : t('alarms.ended'))),
      a.patrol
        ? h('div', { class: 'alarm-patrol' }, a.patrol.note ? `“${a.patrol.note}” ` : '', h('span', { class: 'muted' }, t('alarms.patrolMark', { user: a.patrol.markedBy })))
        : null,
      a.state === 'new'
        ? h('div', { class: 'alarm-actions' }, note, ' ', ack, ' ', err)
        : h('div', { class: 'muted alarm-acked' }, t('alarms.acknowledgedBy', { user: a.acknowledgedBy ?? '' }), a.note ? `: ${a.note}` : ''));
  }

  function render() {
    const sorted = [...alarms.values()].sort((x, y) => (x.startedAt < y.startedAt ? 1 : x.startedAt > y.startedAt ? -1 : 0)).slice(0, MAX_SHOWN);
    // a note being typed survives a re-render
    const typing = new Map([...list.querySelectorAll('li')].map((li) => [li.dataset.alarmId, li.querySelector('input[name=note]')?.value ?? '']));
    list.replaceChildren(...sorted.map((a) => {
      const li = item(a);
      const input = li.querySelector('input[name=note]');
      if (input && typing.get(a.id)) input.value = typing.get(a.id);
      return li;
    }));
    const fresh = sorted.filter((a) => a.state === 'new').length;
    count.textContent = fresh ? String(fresh) : '';
    panel.classList.toggle('has-new', fresh > 0);
    none.hidden = sorted.length > 0;
    stats.shown = sorted.length;
    markTiles();
  }

  function upsert(a) {
    if (a.cameraName) names.set(a.cameraId, a.cameraName);
    alarms.set(a.id, { ...alarms.get(a.id), ...a });
    render();
  }

  async function nameOf(cameraId) {
    if (names.has(cameraId)) return;
    try {
      const c = await api('GET', `/api/cameras/${encodeURIComponent(cameraId)}`);
      names.set(cameraId, c.name);
      render();
      return c;
    } catch {
      return undefined;
    }
  }

  async function onAlarm(a) {
    const isNew = !alarms.has(a.id) && a.change === 'created';
    upsert(a);
    if (!isNew) return;
    if (prefs.sound) beep();
    // the message carries no patrol mark: the alarm as the API has it (the officer's note)
    if (a.kind === 'patrol') void api('GET', `/api/alarms/${encodeURIComponent(a.id)}`).then((full) => { if (!stopped) upsert(full); }, () => undefined);
    void nameOf(a.cameraId);
    if (prefs.pop) {
      try {
        const camera = await api('GET', `/api/cameras/${encodeURIComponent(a.cameraId)}`);
        if (!stopped) popOntoWall(camera);
      } catch {
        // the camera was removed meanwhile, or the wall is not open
      }
    }
  }

  async function load() {
    try {
      const recent = await api('GET', `/api/alarms?limit=${MAX_SHOWN}`);
      for (const a of recent) { if (a.cameraName) names.set(a.cameraId, a.cameraName); alarms.set(a.id, a); }
      render();
    } catch {
      // said by the screens' own errors; the live events still come
    }
  }

  render();
  void load();
  const unsubscribe = subscribeEvents(({ type, data }) => {
    if (type === 'connection') stats.connected = data.state === 'open';
    else if (type === 'alarm') void onAlarm(data);
    else if (type === 'ready') void load(); // after a reconnect: what was missed
  });

  return () => {
    stopped = true;
    unsubscribe();
    observer.disconnect();
    panel.remove();
    stats.connected = false;
  };
}
