// Operators: camera list and filters, add by hand, discovery sweep, CSV import, edit location/tags/jurisdiction.
import { api, ApiError, apiPage, describeError } from './api.js';
import { createMap, hasLocation } from './geo.js';
import { formatNumber, statusName, t, tierName } from './i18n.js';
import { addBoundaries } from './map.js';
import { Disposer, h, parseTags, query, STATUSES, statusBadge, statusColour } from './util.js';

/** Coordinates to five decimals (about a metre), without grouping. */
const DEGREES = { minimumFractionDigits: 5, maximumFractionDigits: 5, useGrouping: false };
const sweepStateName = (state) => (['queued', 'running', 'done', 'failed'].includes(state) ? t(`ops.sweep.state.${state}`) : String(state ?? ''));

export function mountOperators(container, { jurisdictions, config, notify }) {
  const d = new Disposer();
  const jName = new Map(jurisdictions.map((j) => [j.id, j.name]));
  const jurisdictionSelect = (id, selected, emptyLabel) => h('select', { id },
    h('option', { value: '' }, emptyLabel),
    jurisdictions.map((j) => h('option', { value: j.id, selected: j.id === selected }, `${j.name} (${tierName(j.tier)})`)));

  // ---- list ----
  const fStatus = h('select', { id: 'ops-status' }, h('option', { value: '' }, t('ops.anyStatus')), STATUSES.map((s) => h('option', { value: s }, statusName(s))));
  const fTag = h('input', { id: 'ops-tag', placeholder: t('ops.tag'), size: 10 });
  const fQ = h('input', { id: 'ops-q', placeholder: t('ops.searchName'), size: 16 });
  const fJur = jurisdictionSelect('ops-jurisdiction', '', t('ops.anyJurisdiction'));
  const tbody = h('tbody', { id: 'camera-rows' });
  const count = h('span', { class: 'muted', id: 'ops-count' });
  // One page at a time (limit/offset, X-Total-Count): a station's thousands of cameras are not sent at once.
  const PAGE = 100;
  let pageOffset = 0;
  const prevPage = h('button', { type: 'button', id: 'ops-prev', onclick: () => { pageOffset = Math.max(0, pageOffset - PAGE); void loadList(); } }, t('ops.previous'));
  const nextPage = h('button', { type: 'button', id: 'ops-next', onclick: () => { pageOffset += PAGE; void loadList(); } }, t('ops.next'));
  for (const f of [fStatus, fTag, fQ, fJur]) f.addEventListener('change', () => { pageOffset = 0; void loadList(); });
  let listSeq = 0;
  let cameras = [];
  async function loadList() {
    const seq = ++listSeq;
    try {
      const filter = query({ status: fStatus.value, tag: fTag.value.trim(), q: fQ.value.trim(), jurisdictionId: fJur.value });
      const { items: list, total } = await apiPage(`/api/cameras${filter}`, { limit: PAGE, offset: pageOffset });
      if (seq !== listSeq) return;
      if (list.length === 0 && pageOffset > 0 && total > 0) { pageOffset = Math.max(0, Math.floor((total - 1) / PAGE) * PAGE); void loadList(); return; }
      cameras = list;
      count.textContent = total > list.length ? t('ops.range', { from: pageOffset + 1, to: pageOffset + list.length, total }) : t('ops.total', { count: total });
      prevPage.disabled = pageOffset === 0;
      nextPage.disabled = pageOffset + list.length >= total;
      tbody.replaceChildren(...list.map((c) => h('tr', { dataset: { cameraId: c.id } },
        h('td', { class: 'cam-name' }, c.name),
        h('td', { title: c.statusReason ?? '' }, statusBadge(c.status)),
        h('td', {}, jName.get(c.jurisdictionId) ?? c.jurisdictionId ?? '—'),
        h('td', {}, (c.tags ?? []).join(', ')),
        h('td', {}, hasLocation(c) ? `${formatNumber(c.location.lat, DEGREES)}, ${formatNumber(c.location.lon, DEGREES)}` : '—'),
        h('td', {}, h('button', { type: 'button', class: 'edit', onclick: () => openEditor(c) }, t('ops.edit'))))));
    } catch (e) {
      notify(describeError(e));
    }
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
  const addForm = h('form', { id: 'add-camera', class: 'panel' },
    h('h3', {}, t('ops.add.title')),
    h('div', { class: 'row' }, h('label', {}, t('ops.add.name'), ' ', add.name), h('label', {}, t('ops.add.source'), ' ', add.mode)),
    h('div', { class: 'row onvif-only' }, h('label', {}, t('ops.add.host'), ' ', add.host), h('label', {}, t('ops.add.port'), ' ', add.port)),
    h('div', { class: 'row' }, h('label', {}, t('ops.add.username'), ' ', add.username), h('label', {}, t('ops.add.password'), ' ', add.password)),
    h('div', { class: 'row rtsp-only', hidden: true }, h('label', {}, t('ops.add.rtspUrl'), ' ', add.rtspUrl)),
    h('div', { class: 'row' }, h('label', {}, t('ops.add.lat'), ' ', add.lat), h('label', {}, t('ops.add.lon'), ' ', add.lon), h('label', {}, t('ops.add.tags'), ' ', add.tags), h('label', {}, t('ops.add.jurisdiction'), ' ', add.jurisdiction)),
    h('div', { class: 'row' }, h('label', { title: t('ops.add.verifyHint') }, add.verify, ' ', t('ops.add.verify'))),
    h('button', { type: 'submit' }, t('ops.add.submit')), addResult);
  add.mode.addEventListener('change', () => {
    addForm.querySelector('.onvif-only').hidden = add.mode.value !== 'onvif';
    addForm.querySelector('.rtsp-only').hidden = add.mode.value !== 'rtsp';
  });
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    addResult.textContent = '';
    const body = { name: add.name.value.trim(), tags: parseTags(add.tags.value) };
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
      h('td', {}, f.cameraId ? t('ops.sweep.yes') : t('ops.sweep.no')))));
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
  const csvFile = h('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv' });
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
    try {
      const res = await api('POST', '/api/cameras/import', await file.text(), { contentType: 'text/csv' });
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
  let editMap = null;
  d.add(() => editMap?.remove());
  function openEditor(cam) {
    editMap?.remove();
    editMap = null;
    const lat = h('input', { name: 'lat', type: 'number', step: 'any', value: cam.location?.lat ?? '', style: 'width:9em' });
    const lon = h('input', { name: 'lon', type: 'number', step: 'any', value: cam.location?.lon ?? '', style: 'width:9em' });
    const tags = h('input', { name: 'tags', value: (cam.tags ?? []).join(', ') });
    const jur = jurisdictionSelect('edit-jurisdiction', cam.jurisdictionId, t('ops.editor.keep'));
    jur.append(h('option', { value: '__unpin' }, t('ops.editor.unpin')));
    const result = h('span', { class: 'result' });
    const mapEl = h('div', { class: 'edit-map' });
    const save = h('button', { type: 'button' }, t('ops.editor.save'));
    editor.replaceChildren(
      h('h3', {}, `${t('ops.editor.title', { name: cam.name })} `, statusBadge(cam.status)),
      h('div', { class: 'row' }, h('label', {}, t('ops.add.lat'), ' ', lat), h('label', {}, t('ops.add.lon'), ' ', lon), h('label', {}, t('ops.add.tags'), ' ', tags), h('label', {}, t('ops.add.jurisdiction'), ' ', jur), save,
        h('button', { type: 'button', onclick: () => { editor.hidden = true; editMap?.remove(); editMap = null; } }, t('ops.editor.close')), result),
      h('p', { class: 'muted' }, t('ops.editor.mapHint')), mapEl);
    editor.hidden = false;
    editor.scrollIntoView({ block: 'nearest' });
    editMap = createMap(mapEl, config);
    const thisMap = editMap;
    api('GET', '/api/jurisdictions?withBoundary=1')
      .then((js) => { if (editMap === thisMap) addBoundaries(thisMap, js, { interactive: false }).bringToBack(); })
      .catch(() => undefined);
    let marker = null;
    const place = (la, lo) => {
      if (marker) marker.setLatLng([la, lo]);
      else marker = window.L.circleMarker([la, lo], { radius: 8, color: statusColour(cam.status) }).addTo(editMap);
    };
    const known = cameras.filter(hasLocation);
    if (hasLocation(cam)) { place(cam.location.lat, cam.location.lon); editMap.setView([cam.location.lat, cam.location.lon], 16); }
    else if (known.length) editMap.fitBounds(known.map((c) => [c.location.lat, c.location.lon]), { maxZoom: 15, padding: [20, 20] });
    editMap.on('click', (ev) => {
      lat.value = ev.latlng.lat.toFixed(6);
      lon.value = ev.latlng.lng.toFixed(6);
      place(ev.latlng.lat, ev.latlng.lng);
    });
    save.addEventListener('click', async () => {
      const body = { tags: parseTags(tags.value) };
      if (lat.value !== '' && lon.value !== '') body.location = { lat: Number(lat.value), lon: Number(lon.value) };
      if (jur.value === '__unpin') body.jurisdictionId = null;
      else if (jur.value && jur.value !== cam.jurisdictionId) body.jurisdictionId = jur.value;
      try {
        // The answer is the camera as stored: a move may have placed it in another jurisdiction.
        const saved = await api('PATCH', `/api/cameras/${encodeURIComponent(cam.id)}`, body);
        if (saved?.id === cam.id) {
          cam = saved;
          jur.value = [...jur.options].some((o) => o.value === saved.jurisdictionId) ? saved.jurisdictionId : '';
        }
        result.className = 'result ok';
        result.textContent = t('ops.editor.saved');
        void loadList();
      } catch (err) {
        result.className = 'result error';
        result.textContent = describeError(err);
      }
    });
  }

  container.append(
    h('div', { class: 'toolbar' }, fStatus, fTag, fQ, fJur, h('button', { type: 'button', onclick: () => void loadList() }, t('ops.refresh')), count, prevPage, nextPage),
    h('table', { class: 'grid', id: 'camera-table' },
      h('thead', {}, h('tr', {}, [t('ops.col.name'), t('ops.col.status'), t('ops.col.jurisdiction'), t('ops.col.tags'), t('ops.col.location'), ''].map((label) => h('th', {}, label)))), tbody),
    editor,
    h('div', { class: 'panels' }, addForm, sweepForm, csvForm));
  void loadList();
  return () => d.dispose();
}
