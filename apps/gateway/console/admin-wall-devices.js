// Administration → wall screens (docs/kiosk.md): the wall devices of the admin's subtree (GET /api/wall-devices), an
// enrolment form (POST /api/wall-devices) and revocation with a confirmation (DELETE /api/wall-devices/:id). The
// enrolment answer's address carries the device's secret: it is shown once, in this panel only, until the admin closes
// it or leaves the screen; it is never logged, stored or shown again (the server keeps only its hash).
import { api, describeError } from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { formatDate, t, tierName } from './i18n.js';
import { h } from './util.js';
import { LAYOUTS } from './wall-constants.js';

/** The server's limits (apps/gateway/src/wall-devices/wall-devices.dto.ts and wall-devices.service.ts). */
const MAX_MONITORS = 16;
const MIN_TOUR_SECONDS = 5;
const MAX_TOUR_SECONDS = 3600;
/** The list is asked again this often while the tab is open (a screen opened meanwhile shows its last session). */
const RELOAD_MS = 15_000;

/** "Last seen" of a device: its last session start, or a word when it never opened one. */
const lastSeen = (d) => (d.lastSeenAt ? formatDate(d.lastSeenAt) : t('admin.walls.never'));
/** revoked | waiting (enrolled, its address not opened yet) | active. */
export const deviceState = (d) => (d.revoked ? 'revoked' : d.lastSeenAt ? 'active' : 'waiting');

/**
 * Mounts the tab into `body`. `jurisdictions`: the admin's subtree (GET /api/jurisdictions); `d`: the admin screen's
 * Disposer (timers end with the screen).
 */
export function mountWallDevices(body, { jurisdictions, notify, d }) {
  const jName = (id) => { const j = jurisdictions.find((x) => x.id === id); return j ? `${j.name} (${tierName(j.tier)})` : id; };
  /** Saved walls the admin sees (id -> name), for the form and the list. */
  let walls = [];
  const wallName = (id) => walls.find((w) => w.id === id)?.name ?? t('admin.walls.wallGone');

  const tbody = h('tbody', { id: 'wall-device-rows' });
  const count = h('span', { class: 'muted', id: 'wall-device-count' });
  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const list = await api('GET', '/api/wall-devices');
      if (mine !== seq || !body.isConnected) return;
      count.textContent = t('admin.walls.count', { count: list.filter((x) => !x.revoked).length });
      tbody.replaceChildren(...(list.length ? list.map(row) : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('admin.walls.none')))]));
    } catch (e) { notify(describeError(e)); }
  }

  function row(dev) {
    const state = deviceState(dev);
    const shows = [
      dev.wallId ? t('admin.walls.showsWall', { name: wallName(dev.wallId) }) : t('admin.walls.showsAll'),
      t('admin.walls.layoutOf', { tiles: dev.layout, monitors: dev.monitors }),
      dev.tourSeconds > 0 ? t('admin.walls.tourEvery', { seconds: dev.tourSeconds }) : t('admin.walls.noTour'),
    ].join(t('admin.walls.separator'));
    const revoke = dev.revoked ? null : h('button', { type: 'button', class: 'wall-device-revoke danger', onclick: async () => {
      const yes = await confirmDialog({
        id: 'wall-device-confirm',
        title: t('admin.walls.confirmTitle', { name: dev.name }),
        message: t('admin.walls.confirmMessage', { name: dev.name }),
        details: [t('admin.walls.confirmDetail')],
        confirmLabel: t('admin.walls.revoke'),
        danger: true,
      });
      if (!yes) return;
      revoke.disabled = true;
      try {
        await api('DELETE', `/api/wall-devices/${encodeURIComponent(dev.id)}`);
        notify(t('admin.walls.revoked', { name: dev.name }), 'info');
      } catch (e) {
        notify(describeError(e));
      }
      await load();
    } }, t('admin.walls.revoke'));
    return h('tr', { dataset: { deviceId: dev.id, state }, class: `wall-device-${state}` },
      h('td', { class: 'wall-device-name' }, dev.name),
      h('td', { class: 'wall-device-jurisdiction' }, jName(dev.jurisdictionId)),
      h('td', { class: 'wall-device-shows' }, shows),
      h('td', { class: 'wall-device-seen', title: dev.lastSeenAt ?? '' }, lastSeen(dev)),
      h('td', { class: 'wall-device-state' }, h('span', { class: `chip wall-device-chip-${state}` }, t(`admin.walls.state.${state}`)),
        dev.revokedAt ? h('span', { class: 'muted' }, ` ${formatDate(dev.revokedAt)}`) : null),
      h('td', {}, revoke));
  }

  // ---- the enrolment form
  const f = {
    name: h('input', { id: 'wall-device-name', required: true, maxLength: 57, autocomplete: 'off', placeholder: t('admin.walls.namePlaceholder') }),
    jurisdiction: h('select', { id: 'wall-device-jurisdiction', required: true }, jurisdictions.map((j) => h('option', { value: j.id }, `${j.name} (${tierName(j.tier)})`))),
    wall: h('select', { id: 'wall-device-wall' }, h('option', { value: '' }, t('admin.walls.allCameras'))),
    monitors: h('input', { id: 'wall-device-monitors', type: 'number', min: 1, max: MAX_MONITORS, value: 1, style: 'width:4em', required: true }),
    layout: h('select', { id: 'wall-device-layout' }, LAYOUTS.map((n) => h('option', { value: n, selected: n === 4 }, t('wall.tiles', { count: n })))),
    tour: h('input', { id: 'wall-device-tour', type: 'number', min: 0, max: MAX_TOUR_SECONDS, value: 0, style: 'width:5em' }),
  };
  async function loadWalls() {
    try {
      walls = await api('GET', '/api/walls');
    } catch {
      walls = [];
    }
    if (!body.isConnected) return;
    const keep = f.wall.value;
    f.wall.replaceChildren(h('option', { value: '' }, t('admin.walls.allCameras')), ...walls.map((w) => h('option', { value: w.id, selected: w.id === keep }, w.name)));
  }
  const result = h('p', { class: 'result', id: 'wall-device-result', role: 'status' });
  /** Where the enrolment address is shown, once. */
  const enrolment = h('div', { class: 'panel wall-device-enrolment', id: 'wall-device-enrolment', hidden: true });
  function showEnrolment(answer) {
    const url = new URL(answer.enrolmentUrl, location.origin).href;
    const field = h('input', { id: 'wall-device-link', readOnly: true, value: url, size: 60, 'aria-label': t('admin.walls.link'), onfocus: () => field.select() });
    const copied = h('span', { class: 'muted', id: 'wall-device-copied', role: 'status' });
    const copy = h('button', { type: 'button', id: 'wall-device-copy', onclick: async () => {
      field.focus();
      field.select();
      try {
        await navigator.clipboard.writeText(url);
        copied.textContent = t('admin.walls.copied');
      } catch {
        copied.textContent = t('admin.walls.copyByHand');
      }
    } }, t('admin.walls.copy'));
    const done = h('button', { type: 'button', id: 'wall-device-done', onclick: () => { enrolment.replaceChildren(); enrolment.hidden = true; } }, t('admin.walls.done'));
    enrolment.replaceChildren(
      h('h3', {}, t('admin.walls.enrolledTitle', { name: answer.device.name })),
      h('p', {}, t('admin.walls.enrolledHow')),
      h('div', { class: 'row' }, field, ' ', copy, ' ', copied),
      h('p', { class: 'muted' }, t('admin.walls.enrolledOnce')),
      h('p', { class: 'muted' }, t('admin.walls.enrolledMonitors', { monitors: answer.device.monitors })),
      h('div', { class: 'row' }, done));
    enrolment.hidden = false;
    field.focus();
  }

  const form = h('form', { id: 'new-wall-device', class: 'panel' },
    h('h3', {}, t('admin.walls.enrol')),
    h('div', { class: 'row' },
      h('label', {}, t('admin.walls.name'), ' ', f.name),
      h('label', {}, t('admin.walls.jurisdiction'), ' ', f.jurisdiction),
      h('label', {}, t('admin.walls.wall'), ' ', f.wall)),
    h('div', { class: 'row' },
      h('label', {}, t('admin.walls.monitors'), ' ', f.monitors),
      h('label', {}, t('admin.walls.layout'), ' ', f.layout),
      h('label', {}, t('admin.walls.tour'), ' ', f.tour, ` ${t('wall.seconds')}`),
      h('button', { type: 'submit', id: 'wall-device-submit' }, t('admin.walls.enrolSubmit'))),
    h('p', { class: 'muted' }, t('admin.walls.hint', { min: MIN_TOUR_SECONDS })),
    result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    result.className = 'result';
    result.textContent = '';
    const tourSeconds = Math.floor(Number(f.tour.value) || 0);
    if (tourSeconds > 0 && tourSeconds < MIN_TOUR_SECONDS) {
      result.className = 'result error';
      result.textContent = t('admin.walls.tourTooShort', { min: MIN_TOUR_SECONDS });
      return;
    }
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const answer = await api('POST', '/api/wall-devices', {
        name: f.name.value.trim(),
        jurisdictionId: f.jurisdiction.value,
        wallId: f.wall.value || undefined,
        monitors: Math.floor(Number(f.monitors.value) || 1),
        layout: Number(f.layout.value),
        tourSeconds,
      });
      result.className = 'result ok';
      result.textContent = t('admin.walls.enrolled', { name: answer.device.name });
      f.name.value = '';
      showEnrolment(answer);
      await load();
    } catch (err) {
      result.className = 'result error';
      result.textContent = describeError(err);
    } finally {
      submit.disabled = false;
    }
  });

  const reload = h('button', { type: 'button', id: 'wall-device-reload', onclick: () => void load() }, t('admin.walls.reload'));
  body.append(form, enrolment, h('div', { class: 'panel' },
    h('div', { class: 'toolbar' }, h('h3', {}, t('admin.walls.title')), count, reload),
    h('table', { class: 'grid', id: 'wall-device-table' },
      h('thead', {}, h('tr', {}, ['name', 'jurisdiction', 'shows', 'seen', 'state', 'actions'].map((c) => h('th', {}, t(`admin.walls.col.${c}`))))), tbody)));
  d.interval(() => void load(), RELOAD_MS);
  void loadWalls().then(load);
}
