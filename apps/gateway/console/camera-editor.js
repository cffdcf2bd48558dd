// The operators' camera editor: location (typed, a click on the map, or a jurisdiction's name), tags, the
// jurisdiction (pin, unpin) and the credentials. A save answers the camera as stored: a move may have placed it in
// another jurisdiction (the server's placement rule), which the editor then shows.
import { api, describeError } from './api.js';
import { credentialsForm } from './camera-credentials.js';
import { placeByNameControl } from './camera-location.js';
import { createMap, hasLocation } from './geo.js';
import { t } from './i18n.js';
import { addBoundaries } from './map.js';
import { h, parseTags, statusBadge, statusColour } from './util.js';

/**
 * Fills `editor` (the panel) for `cam`. `jurisdictionSelect(id, selected, emptyLabel)` builds the jurisdiction
 * picker, `nearby` are cameras with a location to frame the map on, `onSaved()` reloads the list. Returns close().
 */
export function openCameraEditor(editor, cam, { config, jurisdictions, jurisdictionSelect, nearby, onSaved }) {
  let map = null;
  const jName = new Map(jurisdictions.map((j) => [j.id, j.name]));
  const close = () => { editor.hidden = true; map?.remove(); map = null; editor.replaceChildren(); };
  const lat = h('input', { name: 'lat', type: 'number', step: 'any', value: cam.location?.lat ?? '', style: 'width:9em' });
  const lon = h('input', { name: 'lon', type: 'number', step: 'any', value: cam.location?.lon ?? '', style: 'width:9em' });
  const tags = h('input', { name: 'tags', value: (cam.tags ?? []).join(', ') });
  const jur = jurisdictionSelect('edit-jurisdiction', cam.jurisdictionId, t('ops.editor.keep'));
  jur.append(h('option', { value: '__unpin' }, t('ops.editor.unpin')));
  const result = h('span', { class: 'result', id: 'edit-result' });
  const mapEl = h('div', { class: 'edit-map' });
  const save = h('button', { type: 'button', id: 'edit-save' }, t('ops.editor.save'));
  const noLocation = h('p', { class: 'no-location-note', id: 'edit-no-location', role: 'note', hidden: hasLocation(cam) },
    t('ops.editor.noLocation', { jurisdiction: jName.get(cam.jurisdictionId) ?? t('ops.unassigned') }));
  let boundaryList = null;
  const boundaries = () => (boundaryList ??= api('GET', '/api/jurisdictions?withBoundary=1').catch(() => []));
  let marker = null;
  const place = (la, lo) => {
    if (marker) marker.setLatLng([la, lo]);
    else marker = window.L.circleMarker([la, lo], { radius: 8, color: statusColour(cam.status) }).addTo(map);
  };
  const setPoint = (la, lo) => {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    place(la, lo);
  };
  const byName = placeByNameControl({ jurisdictions, boundaries, onPlace: (p) => { setPoint(p.lat, p.lon); map?.setView([p.lat, p.lon], Math.max(map.getZoom(), 15), { animate: false }); } });
  editor.replaceChildren(
    h('h3', {}, `${t('ops.editor.title', { name: cam.name })} `, statusBadge(cam.status)),
    noLocation,
    h('div', { class: 'row' }, h('label', {}, t('ops.add.lat'), ' ', lat), h('label', {}, t('ops.add.lon'), ' ', lon), h('label', {}, t('ops.add.tags'), ' ', tags), h('label', {}, t('ops.add.jurisdiction'), ' ', jur), save,
      h('button', { type: 'button', onclick: close }, t('ops.editor.close')), result),
    h('div', { class: 'row' }, h('span', { class: 'muted' }, t('ops.editor.mapHint')), ' ', byName),
    mapEl,
    credentialsForm(cam));
  editor.hidden = false;
  editor.scrollIntoView({ block: 'nearest' });
  map = createMap(mapEl, config);
  const thisMap = map;
  void boundaries().then((js) => { if (map === thisMap && js.length) addBoundaries(thisMap, js, { interactive: false }).bringToBack(); });
  const known = nearby.filter(hasLocation);
  if (hasLocation(cam)) { place(cam.location.lat, cam.location.lon); map.setView([cam.location.lat, cam.location.lon], 16); }
  else if (known.length) map.fitBounds(known.map((c) => [c.location.lat, c.location.lon]), { maxZoom: 15, padding: [20, 20] });
  else void boundaries().then((js) => {
    // nothing to frame on yet: the user's area, so a click can place the camera
    const framed = js.length && map === thisMap ? window.L.geoJSON(js.filter((j) => j.boundary).map((j) => j.boundary)).getBounds() : null;
    if (framed?.isValid()) thisMap.fitBounds(framed, { padding: [10, 10] });
  });
  map.on('click', (ev) => setPoint(ev.latlng.lat, ev.latlng.lng));
  save.addEventListener('click', async () => {
    const body = { tags: parseTags(tags.value) };
    if (lat.value !== '' && lon.value !== '') body.location = { lat: Number(lat.value), lon: Number(lon.value) };
    if (jur.value === '__unpin') body.jurisdictionId = null;
    else if (jur.value && jur.value !== cam.jurisdictionId) body.jurisdictionId = jur.value;
    try {
      const saved = await api('PATCH', `/api/cameras/${encodeURIComponent(cam.id)}`, body);
      if (saved?.id === cam.id) {
        cam = saved;
        jur.value = [...jur.options].some((o) => o.value === saved.jurisdictionId) ? saved.jurisdictionId : '';
        noLocation.hidden = hasLocation(saved);
      }
      result.className = 'result ok';
      result.textContent = t('ops.editor.savedIn', { jurisdiction: jName.get(cam.jurisdictionId) ?? t('ops.unassigned') });
      onSaved(cam);
    } catch (err) {
      result.className = 'result error';
      result.textContent = describeError(err);
    }
  });
  return close;
}
