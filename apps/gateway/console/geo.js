// Web Mercator (EPSG:3857) helpers and shared Leaflet set-up.
const R = 6378137;

export function toMercator(lat, lon) {
  const x = (R * lon * Math.PI) / 180;
  const y = R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return { x, y };
}

export function fromMercator(x, y) {
  const lon = (x / R) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI);
  return { lat, lon };
}

/** [[south, west], [north, east]] of a square of `size` mercator metres centred on (lat, lon). */
export function cellBounds(centre, size) {
  const { x, y } = toMercator(centre.lat, centre.lon);
  const half = size / 2;
  const sw = fromMercator(x - half, y - half);
  const ne = fromMercator(x + half, y + half);
  return [[sw.lat, sw.lon], [ne.lat, ne.lon]];
}

/** A Leaflet map; tiles only when the server configures a tile URL (the console works offline). */
export function createMap(element, config, options = {}) {
  const map = window.L.map(element, { preferCanvas: false, zoomSnap: 0.5, ...options });
  if (config?.tileUrl) window.L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map);
  map.setView([0, 0], 2);
  return map;
}

export function hasLocation(cam) {
  return cam?.location && Number.isFinite(cam.location.lat) && Number.isFinite(cam.location.lon);
}
