// Operators: camera list and filters, add by hand, discovery sweep, CSV import, edit location/tags/jurisdiction.
import { api, apiPage, describeError } from './api.js';
import { createMap, hasLocation } from './geo.js';
import { addBoundaries } from './map.js';
import { Disposer, h, parseTags, query, STATUSES, statusBadge, statusColour } from './util.js';

export function mountOperators(container, { jurisdictions, config, notify }) {
  const d = new Disposer();
  const jName = new Map(jurisdictions.map((j) => [j.id, j.name]));
  const jurisdictionSelect = (id, selected, emptyLabel) => h('select', { id },
    h('option', { value: '' }, emptyLabel),
    jurisdictions.map((j) => h('option', { value: j.id, selected: j.id === selected }, `${j.name} (${j.tier})`)));

  // ---- list ----
  const fStatus = h('select', { id: 'ops-status' }, h('option', { value: '' }, 'any status'), STATUSES.map((s) => h('option', { value: s }, s)));
  const fTag = h('input', { id: 'ops-tag', placeholder: 'tag', size: 10 });
  const fQ = h('input', { id: 'ops-q', placeholder: 'search name', size: 16 });
  const fJur = jurisdictionSelect('ops-jurisdiction', '', 'any jurisdiction');
  const tbody = h('tbody', { id: 'camera-rows' });
  const count = h('span', { class: 'muted', id: 'ops-count' });
  // One page at a time (limit/offset, X-Total-Count): a station's thousands of cameras are not sent at once.
  const PAGE = 100;
  let pageOffset = 0;
  const prevPage = h('button', { type: 'button', id: 'ops-prev', onclick: () => { pageOffset = Math.max(0, pageOffset - PAGE); void loadList(); } }, '‹ Previous');
  const nextPage = h('button', { type: 'button', id: 'ops-next', onclick: () => { pageOffset += PAGE; void loadList(); } }, 'Next ›');
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
      count.textContent = total > list.length ? `${pageOffset + 1}–${pageOffset + list.length} of ${total} cameras` : `${total} cameras`;
      prevPage.disabled = pageOffset === 0;
      nextPage.disabled = pageOffset + list.length >= total;
      tbody.replaceChildren(...list.map((c) => h('tr', { dataset: { cameraId: c.id } },
        h('td', { class: 'cam-name' }, c.name),
        h('td', { title: c.statusReason ?? '' }, statusBadge(c.status)),
        h('td', {}, jName.get(c.jurisdictionId) ?? c.jurisdictionId ?? '—'),
        h('td', {}, (c.tags ?? []).join(', ')),
        h('td', {}, hasLocation(c) ? `${c.location.lat.toFixed(5)}, ${c.location.lon.toFixed(5)}` : '—'),
        h('td', {}, h('button', { type: 'button', class: 'edit', onclick: () => openEditor(c) }, 'Edit')))));
    } catch (e) {
      notify(describeError(e));
    }
  }

  // ---- add by hand ----
  const add = {
    name: h('input', { name: 'name', required: true }),
    mode: h('select', { name: 'mode' }, h('option', { value: 'onvif' }, 'ONVIF'), h('option', { value: 'rtsp' }, 'RTSP URL')),
    host: h('input', { name: 'host', placeholder: '192.0.2.10' }),
    port: h('input', { name: 'port', type: 'number', value: 80, min: 1, max: 65535, style: 'width:6em' }),
    username: h('input', { name: 'username', autocomplete: 'off' }),
    password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    rtspUrl: h('input', { name: 'rtspUrl', placeholder: 'rtsp://…', size: 30 }),
    lat: h('input', { name: 'lat', type: 'number', step: 'any', style: 'width:8em' }),
    lon: h('input', { name: 'lon', type: 'number', step: 'any', style: 'width:8em' }),
    tags: h('input', { name: 'tags', placeholder: 'garage, entrance' }),
    jurisdiction: jurisdictionSelect('add-jurisdiction', '', 'by location'),
    // Unticked, a camera that is down or refuses the credentials is still saved (offline/unauthorized) and onboarded when it answers.
    verify: h('input', { name: 'verify', id: 'add-verify', type: 'checkbox' }),
  };
  const addResult = h('p', { class: 'result', id: 'add-result' });
  const addForm = h('form', { id: 'add-camera', class: 'panel' },
    h('h3', {}, 'Add a camera'),
    h('div', { class: 'row' }, h('label', {}, 'Name ', add.name), h('label', {}, 'Source ', add.mode)),
    h('div', { class: 'row onvif-only' }, h('label', {}, 'Host ', add.host), h('label', {}, 'Port ', add.port)),
    h('div', { class: 'row' }, h('label', {}, 'Username ', add.username), h('label', {}, 'Password ', add.password)),
    h('div', { class: 'row rtsp-only', hidden: true }, h('label', {}, 'RTSP URL ', add.rtspUrl)),
    h('div', { class: 'row' }, h('label', {}, 'Lat ', add.lat), h('label', {}, 'Lon ', add.lon), h('label', {}, 'Tags ', add.tags), h('label', {}, 'Jurisdiction ', add.jurisdiction)),
    h('div', { class: 'row' }, h('label', { title: 'Unticked, a camera that is off or refuses the password is saved anyway and onboarded when it first answers' }, add.verify, ' Verify before saving')),
    h('button', { type: 'submit' }, 'Add'), addResult);
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
      addResult.textContent = cam.statusReason ? `Added ${cam.name} (${cam.status}): ${cam.statusReason}.` : `Added ${cam.name} (${cam.status}).`;
      add.password.value = '';
      void loadList();
    } catch (err) {
      addResult.className = 'result error';
      addResult.textContent = describeError(err);
    }
  });

  // ---- discovery ----
  const dCidr = h('input', { id: 'sweep-cidr', placeholder: '192.0.2.0/24', required: true });
  const dPorts = h('input', { id: 'sweep-ports', placeholder: 'ports, e.g. 80,8080', size: 14 });
  const dUser = h('input', { id: 'sweep-username', placeholder: 'camera username', autocomplete: 'off' });
  const dPass = h('input', { id: 'sweep-password', type: 'password', placeholder: 'camera password', autocomplete: 'new-password' });
  const dTags = h('input', { id: 'sweep-tags', placeholder: 'tags for added cameras' });
  const progress = h('progress', { id: 'sweep-progress', max: 100, value: 0 });
  const progressText = h('span', { id: 'sweep-progress-text' });
  const findings = h('tbody', { id: 'sweep-findings' });
  const addSelected = h('button', { type: 'button', id: 'sweep-add', disabled: true }, 'Add selected');
  const sweepResult = h('div', { class: 'result', id: 'sweep-result' });
  let pollTimer = null;
  d.add(() => pollTimer && clearTimeout(pollTimer));
  let found = [];
  let sweepId = null;
  const sweepForm = h('form', { id: 'sweep-form', class: 'panel' },
    h('h3', {}, 'Discovery sweep'),
    h('div', { class: 'row' }, h('label', {}, 'Network ', dCidr), dPorts, h('button', { type: 'submit' }, 'Sweep')),
    h('div', { class: 'row' }, progress, ' ', progressText),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Host'), h('th', {}, 'Port'), h('th', {}, 'Device'), h('th', {}, 'Registered'))), findings),
    h('div', { class: 'row' }, 'Credentials (typed once for all): ', dUser, dPass, dTags, addSelected),
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
        progressText.textContent = `${progress.value} % · ${s.state} · ${s.found?.length ?? 0} found`;
        progressText.dataset.state = s.state;
        renderFindings(s.found ?? []);
        if (s.state === 'running') poll(id);
        else if (s.state === 'failed') sweepResult.textContent = 'the sweep failed';
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
      h('td', {}, f.cameraId ? 'yes' : 'no'))));
    addSelected.disabled = !list.some((f) => !f.cameraId);
  }
  addSelected.addEventListener('click', async () => {
    const endpoints = [...findings.querySelectorAll('input:checked')].map((i) => found[Number(i.value)]?.endpoint).filter(Boolean);
    sweepResult.replaceChildren();
    if (!endpoints.length || !sweepId) { sweepResult.textContent = 'tick the devices to add first'; return; }
    addSelected.disabled = true;
    try {
      // Each finding is probed with the credentials typed once; the answer lists what was added and what failed.
      const res = await api('POST', '/api/cameras/from-sweep', { sweepId, endpoints, username: dUser.value, password: dPass.value, tags: parseTags(dTags.value) });
      for (const c of res.created ?? []) sweepResult.append(h('div', { class: 'ok' }, `added ${c.name} (${c.status})`));
      for (const x of res.errors ?? []) sweepResult.append(h('div', { class: 'error' }, `${x.endpoint}: ${x.code}: ${x.message}`));
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
    h('h3', {}, 'Import cameras (CSV)'),
    h('p', { class: 'muted' }, 'Header: name,lat,lon,tags,onvif_host,onvif_port,username,password,rtsp_url (tags separated by ;). A file with any bad line creates nothing.'),
    csvFile, h('button', { type: 'submit' }, 'Upload'), csvResult);
  csvForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = csvFile.files?.[0];
    if (!file) { csvResult.textContent = 'choose a CSV file first'; return; }
    csvResult.replaceChildren();
    try {
      const res = await api('POST', '/api/cameras/import', await file.text(), { contentType: 'text/csv' });
      csvResult.append(h('p', { class: 'ok' }, `${res.created} cameras created`));
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
      h('thead', {}, h('tr', {}, h('th', {}, 'Line'), h('th', {}, 'Problem'))),
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
    const jur = jurisdictionSelect('edit-jurisdiction', cam.jurisdictionId, 'keep as is');
    jur.append(h('option', { value: '__unpin' }, 'unpin (place by location)'));
    const result = h('span', { class: 'result' });
    const mapEl = h('div', { class: 'edit-map' });
    const save = h('button', { type: 'button' }, 'Save');
    editor.replaceChildren(
      h('h3', {}, `Edit ${cam.name} `, statusBadge(cam.status)),
      h('div', { class: 'row' }, h('label', {}, 'Lat ', lat), h('label', {}, 'Lon ', lon), h('label', {}, 'Tags ', tags), h('label', {}, 'Jurisdiction ', jur), save,
        h('button', { type: 'button', onclick: () => { editor.hidden = true; editMap?.remove(); editMap = null; } }, 'Close'), result),
      h('p', { class: 'muted' }, 'Click the map to set the location.'), mapEl);
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
        await api('PATCH', `/api/cameras/${encodeURIComponent(cam.id)}`, body);
        result.className = 'result ok';
        result.textContent = 'saved';
        void loadList();
      } catch (err) {
        result.className = 'result error';
        result.textContent = describeError(err);
      }
    });
  }

  container.append(
    h('div', { class: 'toolbar' }, fStatus, fTag, fQ, fJur, h('button', { type: 'button', onclick: () => void loadList() }, 'Refresh'), count, prevPage, nextPage),
    h('table', { class: 'grid', id: 'camera-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Status', 'Jurisdiction', 'Tags', 'Location', ''].map((t) => h('th', {}, t)))), tbody),
    editor,
    h('div', { class: 'panels' }, addForm, sweepForm, csvForm));
  void loadList();
  return () => d.dispose();
}
