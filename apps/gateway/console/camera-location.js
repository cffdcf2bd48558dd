// The no-location rule in the console (docs/operators.md "Cameras without a location"): a camera saved without a
// location (and without a chosen jurisdiction) is placed at the saving user's own node, which for a sub-bureau or
// station user means no post under it sees the camera; for the built-in admin it stays unassigned. The add form
// warns before saving, the list marks such cameras, and the editor places them by a click on the map or by a
// jurisdiction's name (a point inside its boundary: the server then places the camera by its own rule).
import { interiorPoint } from './interior-point.js';
import { t } from './i18n.js';
import { h } from './util.js';

/**
 * Where a camera saved by `user` without a location lands, as a warning sentence, or null when that is harmless
 * (the user's node is a post, or a node without children: the people who should see it do).
 */
export function noLocationWarning(user, jurisdictions) {
  const landing = noLocationLanding(user, jurisdictions);
  if (!landing) return null;
  return landing.home ? t('ops.noLocation.atHome', { home: landing.home }) : t('ops.noLocation.unassigned');
}

/** The same for the rows of a CSV file: the sentence for rows without a location, or null. */
export function noLocationRowsWarning(user, jurisdictions) {
  const landing = noLocationLanding(user, jurisdictions);
  if (!landing) return null;
  return landing.home ? t('ops.csv.noLocation.atHome', { home: landing.home }) : t('ops.csv.noLocation.unassigned');
}

/** {home: name} (a node with children), {home: null} (unassigned), or null when landing at the user's node is harmless. */
function noLocationLanding(user, jurisdictions) {
  if (!user?.jurisdictionId) return { home: null };
  const home = jurisdictions.find((j) => j.id === user.jurisdictionId);
  const hasChildren = jurisdictions.some((j) => j.parentId === user.jurisdictionId);
  return home && hasChildren ? { home: home.name } : null;
}

/** The jurisdiction named `text`: an exact name (case-insensitive) first, else the only one containing it. */
export function findJurisdictionByName(jurisdictions, text) {
  const q = String(text ?? '').trim().toLowerCase();
  if (!q) return { error: t('ops.place.typeName') };
  const exact = jurisdictions.filter((j) => j.name.toLowerCase() === q);
  if (exact.length === 1) return { jurisdiction: exact[0] };
  const partial = exact.length ? exact : jurisdictions.filter((j) => j.name.toLowerCase().includes(q));
  if (partial.length === 1) return { jurisdiction: partial[0] };
  if (!partial.length) return { error: t('ops.place.noMatch', { text: String(text).trim() }) };
  return { error: t('ops.place.several', { count: partial.length, names: partial.slice(0, 5).map((j) => j.name).join(', ') }) };
}

/**
 * "Place by jurisdiction name": an input (suggesting the names) and a button. `boundaries()` answers the
 * jurisdictions with their boundary (loaded once by the editor); `onPlace({lat, lon}, jurisdiction)` gets a point
 * inside the chosen one.
 */
export function placeByNameControl({ jurisdictions, boundaries, onPlace }) {
  const listId = 'place-jurisdiction-names';
  const input = h('input', { id: 'place-search', list: listId, size: 18, placeholder: t('ops.place.placeholder'), 'aria-label': t('ops.place.label') });
  const names = h('datalist', { id: listId }, jurisdictions.map((j) => h('option', { value: j.name })));
  const note = h('span', { class: 'muted', id: 'place-search-note', role: 'status' });
  const go = async () => {
    const found = findJurisdictionByName(jurisdictions, input.value);
    if (found.error) { note.textContent = found.error; return; }
    const withBoundary = (await boundaries()).find((j) => j.id === found.jurisdiction.id);
    const point = interiorPoint(withBoundary?.boundary);
    if (!point) { note.textContent = t('ops.place.noBoundary', { name: found.jurisdiction.name }); return; }
    note.textContent = t('ops.place.placed', { name: found.jurisdiction.name });
    onPlace(point, found.jurisdiction);
  };
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); void go(); } });
  return h('span', { class: 'place-search' }, h('label', {}, t('ops.place.label'), ' ', input), names, ' ',
    h('button', { type: 'button', id: 'place-search-go', onclick: () => void go() }, t('ops.place.go')), ' ', note);
}
