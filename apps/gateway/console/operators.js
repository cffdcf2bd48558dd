// Operators: camera list (paged, sorted and searched by the server) with rename, delete and the editor; add by hand,
// discovery sweep (findings that are cameras already link to them), CSV import. docs/operators.md.
import { api, ApiError, apiPage, describeError } from './api.js';
import { openCameraEditor } from './camera-editor.js';
import { noLocationRowsWarning, noLocationWarning } from './camera-location.js';
import { deleteWithConfirmation, renameInPlace } from './camera-row-actions.js';
import { confirmDialog } from './confirm-dialog.js';
import { rowsWithoutLocation } from './csv-locations.js';
import { hasLocation } from './geo.js';
import { formatDate, formatNumber, statusName, t, tierName } from './i18n.js';
import { sortableHeaders } from './operators-sort.js';
import { Disposer, h, parseTags, query, STATUSES, statusBadge } from './util.js';

/** Coordinates to five decimals (about a metre), without grouping. */
const DEGREES = { minimumFractionDigits: 5, maximumFractionDigits: 5, useGrouping: false };
const sweepStateName = (state) => (['queued', 'running', 'done', 'failed'].includes(state) ? t(`ops.sweep.state.${state}`) : String(state ?? ''));

/** How long typing in the name search pauses before the list is asked again. */
const SEARCH_PAUSE_MS = 300;
const when = (iso) => (iso ? formatDate(iso, { dateStyle: 'short', timeStyle: 'short' }) : '—');

export function mountOperators(container, { jurisdictions, config, notify, user }) {
  const d = new Disposer();
  const jName = new Map(jurisdictions.map((j) => [j.id, j.name]));
  const jurisdictionSelect = (id, selected, emptyLabel) => h('select', { id },
    h('option', { value: '' }, emptyLabel),
    jurisdictions.map((j) => h('option', { value: j.id, selected: j.id === selected }, `${j.name} (${tierName(j.tier)})`)));

  // ---- list ----
  const fStatus = h('select', { id: 'ops-status', 'aria-label': t('a11y.ops.status') }, h('option', { value: '' }, t('ops.anyStatus')), STATUSES.map((s) => h('option', { value: s }, statusName(s))));
  const fTag = h('input', { id: 'ops-tag', placeholder: t('ops.tag'), size: 10 });
  const fQ = h('input', { id: 'ops-q', placeholder: t('ops.searchName'), size: 16 });
  const fJur = jurisdictionSelect('ops-jurisdiction', '', t('ops.anyJurisdiction'));
  fJur.setAttribute('aria-label', t('a11y.ops.jurisdiction'));
  const tbody = h('tbody', { id: 'camera-rows' });
  const count = h('span', { class: 'muted', id: 'ops-count' });
  // One page at a time (limit/offset, X-Total-Count): a station's thousands of cameras are not sent at once.
  const PAGE = 100;
  let pageOffset = 0;
  const prevPage = h('button', { type: 'button', id: 'ops-prev', onclick: () => { pageOffset = Math.max(0, pageOffset - PAGE); void loadList(); } }, t('ops.previous'));
  const nextPage = h('button', { type: 'button', id: 'ops-next', onclick: () => { pageOffset += PAGE; void loadList(); } }, t('ops.next'));
  for (const f of [fStatus, fTag, fJur]) f.addEventListener('change', () => { pageOffset = 0; void loadList(); });
  // The name search asks the server as one types, once typing pauses (a station's 3,000 cameras are never all here);
  // leaving the field (its change event) asks again only for a text not asked yet, so a click elsewhere (Rename,
  // Delete) does not redraw the list under it.
  let typing = null;
  let searched = '';
  d.add(() => clearTimeout(typing));
  const searchNow = () => { clearTimeout(typing); if (fQ.value.trim() === searched) return; pageOffset = 0; void loadList(); };
  fQ.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(searchNow, SEARCH_PAUSE_MS); });
  fQ.addEventListener('change', searchNow);
  // Sorted by the server (ties by id, so pages never overlap); the headers say the order in force (aria-sort).
  let order = { sort: 'name', order: 'asc' };
  const headers = sortableHeaders([
    { label: t('ops.col.name'), sort: 'name' }, { label: t('ops.col.status'), sort: 'status' }, { label: t('ops.col.jurisdiction'), sort: 'jurisdiction' },
    { label: t('ops.col.tags') }, { label: t('ops.col.location') }, { label: t('ops.col.lastSeen'), sort: 'lastSeen' }, { label: t('ops.col.created'), sort: 'created' }, { label: '' },
  ], order, (next) => { order = next; pageOffset = 0; void loadList(); });
  const message = h('p', { class: 'result', id: 'ops-message', role: 'status' });
  const say = (text, kind = '') => { message.className = `result ${kind}`.trim(); message.textContent = text; };
  let listSeq = 0;
  let cameras = [];
  async function loadList() {
    const seq = ++listSeq;
    try {
      searched = fQ.value.trim();
      const filter = query({ status: fStatus.value, tag: fTag.value.trim(), q: searched, jurisdictionId: fJur.value, sort: order.sort, order: order.order });
      const { items: list, total } = await apiPage(`/api/cameras${filter}`, { limit: PAGE, offset: pageOffset });
      if (seq !== listSeq) return;
      if (list.length === 0 && pageOffset > 0 && total > 0) { pageOffset = Math.max(0, Math.floor((total - 1) / PAGE) * PAGE); void loadList(); return; }
      cameras = list;
      count.textContent = total > list.length ? t('ops.range', { from: pageOffset + 1, to: pageOffset + list.length, total }) : t('ops.total', { count: total });
      prevPage.disabled = pageOffset === 0;
      nextPage.disabled = pageOffset + list.length >= total;
      tbody.replaceChildren(...list.map(row));
      tbody.dataset.rendered = String(seq); // tests wait for a new rendering
    } catch (e) {
      notify(describeError(e));
    }
  }

  function row(c) {
    const nameCell = h('td', { class: 'cam-name', title: t('ops.rename.hint'), ondblclick: () => rename() }, c.name);
    const rename = () => renameInPlace(nameCell, c, (saved) => { if (saved) { say(t('ops.rename.done', { name: saved.name }), 'ok'); void loadList(); } });
    const remove = async () => {
      try {
        if (await deleteWithConfirmation(c)) { say(t('ops.delete.done', { name: c.name }), 'ok'); void loadList(); }
      } catch (err) { say(describeError(err), 'error'); }
    };
    // Without a location the camera sits at a node its post does not see (docs/operators.md): marked, one click to place it.
    const location = hasLocation(c)
      ? `${formatNumber(c.location.lat, DEGREES)}, ${formatNumber(c.location.lon, DEGREES)}`
      : [h('span', { class: 'no-location-mark', title: t('ops.noLocation.mark.hint') }, t('ops.noLocation.mark')), ' ',
        h('button', { type: 'button', class: 'place', onclick: () => openEditor(c) }, t('ops.place.button'))];
    return h('tr', { dataset: { cameraId: c.id, ...(hasLocation(c) ? {} : { noLocation: '' }) } },
      nameCell,
      h('td', { title: c.statusReason ?? '' }, statusBadge(c.status)),
      h('td', {}, jName.get(c.jurisdictionId) ?? c.jurisdictionId ?? '—'),
      h('td', {}, (c.tags ?? []).join(', ')),
      h('td', {}, location),
      h('td', { class: 'cam-last-seen' }, when(c.lastSeenAt)),
      h('td', { class: 'cam-created' }, when(c.createdAt)),
      h('td', { class: 'cam-actions' },
        h('button', { type: 'button', class: 'edit', onclick: () => openEditor(c) }, t('ops.edit')), ' ',
        h('button', { type: 'button', class: 'rename', onclick: rename }, t('ops.rename')), ' ',
        h('button', { type: 'button', class: 'delete', onclick: () => void remove() }, t('ops.delete'))));
  }

  // ---- add by hand ----
  const add = {
    name: h('input', { name: 'name', required: true }),
    mode: h('select', { name: 'mode' }, h('option', { value: 'onvif' }, t('ops.add.onvif')), h('option', { value: 'rtsp' }, t('ops.add.rtsp'))),
    host: h('input', { name: 'host', placeholder: '192.0.2.10' }),
    port: h('input', { name: 'port', type: 'number', value: 80, min: 1, max: 65535, style: 'width:6em' }),
    username: h('input', { name: 'username', autocomplete: 'off' }),
    password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    rtspUrl: h('input', { name: 'rtspUrl', placeholder: 'rtsp://…', size: 30 }),
    lat: h('input', { name: 'lat', type: 'number', step: 'any', style: 'width:8em' }),
    lon: h('input', { name: 'lon', type: 'number', step: 'any', style: 'width:8em' }),
    tags: h('input', { name: 'tags', placeholder: t('ops.add.tagsPlaceholder') }),
    jurisdiction: jurisdictionSelect('add-jurisdiction', '', t('ops.add.byLocation')),
    // Unticked, a camera that is down or refuses the credentials is still saved (offline/unauthorized) and onboarded when it answers.
    verify: h('input', { name: 'verify', id: 'add-verify', type: 'checkbox' }),
  };
  const addResult = h('p', { class: 'result', id: 'add-result' });
  const addPlacement = h('p', { class: 'no-location-note', id: 'add-placement' });
  // Before saving: a camera without a location (and no jurisdiction chosen) would land where its post does not see it.
  const landing = noLocationWarning(user, jurisdictions);
  const addWarning = h('p', { class: 'no-location-note', id: 'add-no-location', role: 'alert', hidden: true }, landing ?? '');
  const addSubmit = h('button', { type: 'submit', id: 'add-submit' }, t('ops.add.submit'));
  const withoutLocation = () => (add.lat.value === '' || add.lon.value === '') && !add.jurisdiction.value;
  const checkLocation = () => {
    const warn = Boolean(landing) && withoutLocation();
    addWarning.hidden = !warn;
    addSubmit.textContent = warn ? t('ops.add.submitWithoutLocation') : t('ops.add.submit');
  };
  const addForm = h('form', { id: 'add-camera', class: 'panel' },
    h('h3', {}, t('ops.add.title')),
    h('div', { class: 'row' }, h('label', {}, t('ops.add.name'), ' ', add.name), h('label', {}, t('ops.add.source'), ' ', add.mode)),
    h('div', { class: 'row onvif-only' }, h('label', {}, t('ops.add.host'), ' ', add.host), h('label', {}, t('ops.add.port'), ' ', add.port)),
    h('div', { class: 'row' }, h('label', {}, t('ops.add.username'), ' ', add.username), h('label', {}, t('ops.add.password'), ' ', add.password)),
    h('div', { class: 'row rtsp-only', hidden: true }, h('label', {}, t('ops.add.rtspUrl'), ' ', add.rtspUrl)),
    h('div', { class: 'row' }, h('label', {}, t('ops.add.lat'), ' ', add.lat), h('label', {}, t('ops.add.lon'), ' ', add.lon), h('label', {}, t('ops.add.tags'), ' ', add.tags), h('label', {}, t('ops.add.jurisdiction'), ' ', add.jurisdiction)),
    h('div', { class: 'row' }, h('label', { title: t('ops.add.verifyHint') }, add.verify, ' ', t('ops.add.verify'))),
    addWarning, addSubmit, addResult, addPlacement);
  for (const f of [add.lat, add.lon, add.jurisdiction]) { f.addEventListener('input', checkLocation); f.addEventListener('change', checkLocation); }
  checkLocation();
  add.mode.addEventListener('change', () => {
    addForm.querySelector('.onvif-only').hidden = add.mode.value !== 'onvif';
    addForm.querySelector('.rtsp-only').hidden = add.mode.value !== 'rtsp';
  });
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    addResult.textContent = '';
    addPlacement.replaceChildren();
    const body = { name: add.name.value.trim(), tags: parseTags(add.tags.value) };
    const unplaced = Boolean(landing) && withoutLocation();
    if (add.mode.value === 'onvif') {
      body.onvif = { host: add.host.value.trim(), port: Number(add.port.value), username: add.username.value, password: add.password.value };
    } else {
      body.rtspUrl = add.rtspUrl.value.trim();
    }
    if (add.lat.value !== '' && add.lon.value !== '') body.location = { lat: Number(add.lat.value), lon: Number(add.lon.value) };
    if (add.jurisdiction.value) body.jurisdictionId = add.jurisdiction.value;
    try {
      const cam = await api('POST', `/api/cameras${query({ verify: add.verify.checked ? 'true' : '' })}`, body);
      addResult.className = cam.status === 'online' ? 'result ok' : 'result';
      addResult.textContent = cam.statusReason
        ? t('ops.add.addedReason', { name: cam.name, status: statusName(cam.status), reason: cam.statusReason })
        : t('ops.add.added', { name: cam.name, status: statusName(cam.status) });
      if (unplaced) addPlacement.replaceChildren(t('ops.add.addedWithoutLocation', { jurisdiction: jName.get(cam.jurisdictionId) ?? t('ops.unassigned') }), ' ', h('button', { type: 'button', class: 'place', id: 'add-place', onclick: () => openEditor(cam) }, t('ops.place.button')));
      add.password.value = '';
      void loadList();
    } catch (err) {
      addResult.className = 'result error';
      addResult.textContent = describeError(err);
    }
  });

  // ---- discovery ----
  const dCidr = h('input', { id: 'sweep-cidr', placeholder: '192.0.2.0/24', required: true });
  const dPorts = h('input', { id: 'sweep-ports', placeholder: t('ops.sweep.ports'), size: 14 });
  const dUser = h('input', { id: 'sweep-username', placeholder: t('ops.sweep.username'), autocomplete: 'off' });
  const dPass = h('input', { id: 'sweep-password', type: 'password', placeholder: t('ops.sweep.password'), autocomplete: 'new-password' });
  const dTags = h('input', { id: 'sweep-tags', placeholder: t('ops.sweep.tags') });
  const progress = h('progress', { id: 'sweep-progress', max: 100, value: 0 });
  const progressText = h('span', { id: 'sweep-progress-text' });
  const findings = h('tbody', { id: 'sweep-findings' });
  const addSelected = h('button', { type: 'button', id: 'sweep-add', disabled: true }, t('ops.sweep.addSelected'));
  const sweepResult = h('div', { class: 'result', id: 'sweep-result' });
  let pollTimer = null;
  d.add(() => pollTimer && clearTimeout(pollTimer));
  let found = [];
  let sweepId = null;
  const sweepForm = h('form', { id: 'sweep-form', class: 'panel' },
    h('h3', {}, t('ops.sweep.title')),
    h('div', { class: 'row' }, h('label', {}, t('ops.sweep.network'), ' ', dCidr), dPorts, h('button', { type: 'submit' }, t('ops.sweep.submit'))),
    h('div', { class: 'row' }, progress, ' ', progressText),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('ops.sweep.col.host')), h('th', {}, t('ops.sweep.col.port')), h('th', {}, t('ops.sweep.col.device')), h('th', {}, t('ops.sweep.col.registered')))), findings),
    h('div', { class: 'row' }, t('ops.sweep.credentials'), ' ', dUser, dPass, dTags, addSelected),
    sweepResult);
  sweepForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (pollTimer) clearTimeout(pollTimer);
    sweepResult.textContent = '';
    progress.value = 0;
    findings.replaceChildren();
    const body = { cidr: dCidr.value.trim() };
    const ports = dPorts.value.split(/[\s,]+/).filter(Boolean).map(Number);
    if (ports.length) body.ports = ports;
    try {
      const { id } = await api('POST', '/api/discovery/sweeps', body);
      sweepId = id;
      poll(id);
    } catch (err) {
      sweepResult.textContent = describeError(err);
    }
  });
  function poll(id, delay = 500) {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = setTimeout(async () => {
      try {
        const s = await api('GET', `/api/discovery/sweeps/${encodeURIComponent(id)}`);
        progress.value = Math.round((s.progress ?? 0) * 100);
        progressText.textContent = t('ops.sweep.progress', { percent: progress.value, state: sweepStateName(s.state), found: s.found?.length ?? 0 });
        progressText.dataset.state = s.state;
        renderFindings(s.found ?? []);
        if (s.state === 'running') poll(id);
        else if (s.state === 'failed') sweepResult.textContent = t('ops.sweep.failed');
      } catch (err) {
        sweepResult.textContent = describeError(err);
      }
    }, 500);
  }
  function renderFindings(list) {
    const checked = new Set([...findings.querySelectorAll('input:checked')].map((i) => i.value));
    found = list;
    findings.replaceChildren(...list.map((f, i) => h('tr', { dataset: { host: f.host } },
      h('td', {}, h('input', { type: 'checkbox', value: String(i), disabled: Boolean(f.cameraId), checked: !f.cameraId && checked.has(String(i)) })),
      h('td', {}, f.host), h('td', {}, f.port),
      h('td', {}, [f.manufacturer, f.model].filter(Boolean).join(' ') || '—'),
      h('td', {}, f.cameraId ? h('a', { href: '#/operators', class: 'finding-camera', dataset: { cameraId: f.cameraId }, title: t('ops.sweep.openCamera'), onclick: (e) => { e.preventDefault(); void openCameraById(f.cameraId); } }, f.cameraName ?? t('ops.sweep.yes')) : t('ops.sweep.no')))));
    addSelected.disabled = !list.some((f) => !f.cameraId);
  }
  addSelected.addEventListener('click', async () => {
    const endpoints = [...findings.querySelectorAll('input:checked')].map((i) => found[Number(i.value)]?.endpoint).filter(Boolean);
    sweepResult.replaceChildren();
    if (!endpoints.length || !sweepId) { sweepResult.textContent = t('ops.sweep.tickFirst'); return; }
    addSelected.disabled = true;
    try {
      // Each finding is probed with the credentials typed once; the answer lists what was added and what failed.
      const res = await api('POST', '/api/cameras/from-sweep', { sweepId, endpoints, username: dUser.value, password: dPass.value, tags: parseTags(dTags.value) });
      for (const c of res.created ?? []) sweepResult.append(h('div', { class: 'ok' }, t('ops.sweep.added', { name: c.name, status: statusName(c.status) })));
      for (const x of res.errors ?? []) sweepResult.append(h('div', { class: 'error' }, `${x.endpoint}: ${describeError(new ApiError(0, x.code, x.message))}`));
      dPass.value = '';
      poll(sweepId, 0);
    } catch (err) {
      sweepResult.append(h('div', { class: 'error' }, describeError(err)));
    } finally {
      addSelected.disabled = false;
    }
    void loadList();
  });

  // ---- CSV import ----
  const csvFile = h('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv', 'aria-label': t('ops.csv.title') });
  const csvResult = h('div', { class: 'result', id: 'csv-result' });
  const csvForm = h('form', { id: 'csv-form', class: 'panel' },
    h('h3', {}, t('ops.csv.title')),
    h('p', { class: 'muted' }, t('ops.csv.help')),
    csvFile, h('button', { type: 'submit' }, t('ops.csv.upload')), csvResult);
  csvForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = csvFile.files?.[0];
    if (!file) { csvResult.textContent = t('ops.csv.chooseFirst'); return; }
    csvResult.replaceChildren();
    const text = await file.text();
    // Before uploading: rows without a location would land where their posts do not see them.
    const unplaced = rowsWithoutLocation(text);
    const where = noLocationRowsWarning(user, jurisdictions);
    if (unplaced > 0 && where && !(await confirmDialog({ id: 'csv-no-location-dialog', title: t('ops.csv.noLocation.title', { count: unplaced }), message: where, confirmLabel: t('ops.csv.noLocation.confirm') }))) {
      csvResult.append(h('p', {}, t('ops.csv.notUploaded')));
      return;
    }
    try {
      const res = await api('POST', '/api/cameras/import', text, { contentType: 'text/csv' });
      csvResult.append(h('p', { class: 'ok' }, t('ops.csv.created', { count: Number(res.created) })));
      renderLineErrors(res.errors);
      void loadList();
    } catch (err) {
      csvResult.append(h('p', { class: 'error' }, describeError(err)));
      renderLineErrors(err.body?.errors);
    }
  });
  function renderLineErrors(errors) {
    if (!Array.isArray(errors) || !errors.length) return;
    csvResult.append(h('table', { class: 'grid csv-errors' },
      h('thead', {}, h('tr', {}, h('th', {}, t('ops.csv.line')), h('th', {}, t('ops.csv.problem')))),
      h('tbody', {}, errors.map((x) => h('tr', {}, h('td', {}, x.line), h('td', {}, x.message))))));
  }

  // ---- editor ----
  const editor = h('div', { class: 'panel', id: 'camera-editor', hidden: true });
  let closeEditor = null;
  d.add(() => closeEditor?.());
  function openEditor(cam) {
    closeEditor?.();
    closeEditor = openCameraEditor(editor, cam, { config, jurisdictions, jurisdictionSelect, nearby: cameras, onSaved: () => void loadList() });
  }
  /** A sweep finding's camera, which may be on another page of the list. */
  async function openCameraById(id) {
    try { openEditor(await api('GET', `/api/cameras/${encodeURIComponent(id)}`)); } catch (err) { sweepResult.textContent = describeError(err); }
  }

  container.append(
    h('div', { class: 'toolbar' }, fStatus, fTag, fQ, fJur, h('button', { type: 'button', onclick: () => void loadList() }, t('ops.refresh')), count, prevPage, nextPage),
    message,
    h('table', { class: 'grid', id: 'camera-table' }, h('thead', {}, h('tr', {}, headers.cells)), tbody),
    editor,
    h('div', { class: 'panels' }, addForm, sweepForm, csvForm));
  void loadList();
  return () => d.dispose();
}
