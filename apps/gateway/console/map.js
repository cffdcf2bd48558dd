// Map: jurisdiction boundaries (vector), optional tiles, camera markers coloured by status; click to watch.
import { api, apiAll, describeError } from './api.js';
import { createMap, hasLocation } from './geo.js';
import { statusName, t, tierName } from './i18n.js';
import { openLive } from './overlay.js';
import { Disposer, h, plainText, statusColour } from './util.js';

const TIER_STYLE = {
  'sub-bureau': { color: '#34495e', weight: 3, fillOpacity: 0.02 },
  station: { color: '#2471a3', weight: 2, fillOpacity: 0.04 },
  post: { color: '#7d3c98', weight: 1, dashArray: '4 3', fillOpacity: 0.05 },
};

/** Adds one GeoJSON layer per jurisdiction with a boundary; returns the group (for fitting the view). */
export function addBoundaries(map, jurisdictions, { interactive = true } = {}) {
  const group = window.L.featureGroup();
  for (const j of jurisdictions) {
    if (!j.boundary) continue;
    const layer = window.L.geoJSON(j.boundary, { interactive, style: () => ({ ...(TIER_STYLE[j.tier] ?? TIER_STYLE.post), className: `boundary boundary-${j.tier}` }) });
    if (interactive) layer.bindTooltip(plainText(`${j.name} (${tierName(j.tier)})`, { class: 'boundary-tooltip' }), { sticky: true });
    group.addLayer(layer);
  }
  group.addTo(map);
  return group;
}

export function mountMap(container, { config, notify }) {
  const d = new Disposer();
  const mapEl = h('div', { class: 'map', id: 'main-map' });
  const legend = h('div', { class: 'legend' }, Object.entries({ online: 0, offline: 0, unauthorized: 0, unknown: 0 }).map(([s]) =>
    h('span', {}, h('span', { class: 'dot', style: `background:${statusColour(s)}` }), ` ${statusName(s)} `)));
  container.append(h('div', { class: 'toolbar' }, legend, h('span', { class: 'muted', id: 'map-info' })), mapEl);
  const map = createMap(mapEl, config);
  d.add(() => map.remove());

  (async () => {
    try {
      const [jurisdictions, cameras] = await Promise.all([api('GET', '/api/jurisdictions?withBoundary=1'), apiAll('/api/cameras')]);
      if (!mapEl.isConnected) return;
      const boundaries = addBoundaries(map, jurisdictions);
      const markers = window.L.featureGroup();
      for (const cam of cameras.filter(hasLocation)) {
        const m = window.L.circleMarker([cam.location.lat, cam.location.lon], {
          radius: 7, color: '#222', weight: 1, fillColor: statusColour(cam.status), fillOpacity: 0.9, className: `camera-marker status-${cam.status}`,
        });
        m.bindTooltip(plainText(`${cam.name} · ${statusName(cam.status)}`, { class: 'camera-tooltip' }));
        m.on('click', () => openLive(cam, 'main'));
        markers.addLayer(m);
      }
      markers.addTo(map);
      container.querySelector('#map-info').textContent = t('map.info', { jurisdictions: jurisdictions.length, cameras: markers.getLayers().length });
      const bounds = boundaries.getLayers().length ? boundaries.getBounds() : markers.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
    } catch (e) {
      notify(describeError(e));
    }
  })();
  return () => d.dispose();
}
