// Two actions of a row of the operators' camera table: rename in place (Enter saves, Esc gives up) and delete after a
// dialog that names the camera and says what goes with it (its recordings: docs/recording.md, the segment rows
// cascade). Both answer through callbacks; the table reloads itself.
import { api, describeError } from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { t } from './i18n.js';
import { h } from './util.js';

/** Turns the name cell `cell` of `camera` into a small form; `onDone(saved | null)` after a save or a cancel. */
export function renameInPlace(cell, camera, onDone) {
  if (cell.querySelector('form')) return;
  const input = h('input', { class: 'rename-input', value: camera.name, maxLength: 200, required: true, 'aria-label': t('ops.rename.label', { name: camera.name }) });
  const error = h('span', { class: 'result error', role: 'alert' });
  const cancel = () => { cell.replaceChildren(camera.name); onDone(null); };
  const form = h('form', { class: 'rename-form' }, input, ' ',
    h('button', { type: 'submit', class: 'rename-save' }, t('ops.rename.save')), ' ',
    h('button', { type: 'button', class: 'rename-cancel', onclick: cancel }, t('ops.rename.cancel')), ' ', error);
  input.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); cancel(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) { error.textContent = t('ops.rename.empty'); return; }
    if (name === camera.name) { cancel(); return; }
    try {
      const saved = await api('PATCH', `/api/cameras/${encodeURIComponent(camera.id)}`, { name });
      cell.replaceChildren(saved.name);
      onDone(saved);
    } catch (err) {
      error.textContent = describeError(err);
    }
  });
  cell.replaceChildren(form);
  input.focus();
  input.select();
}

/** Asks, then deletes `camera`; answers true when it was deleted (throws the API's error). */
export async function deleteWithConfirmation(camera) {
  const yes = await confirmDialog({
    id: 'delete-camera-dialog',
    title: t('ops.delete.title', { name: camera.name }),
    message: t('ops.delete.message', { name: camera.name }),
    details: [t('ops.delete.recordings')],
    confirmLabel: t('ops.delete.confirm'),
    danger: true,
  });
  if (!yes) return false;
  await api('DELETE', `/api/cameras/${encodeURIComponent(camera.id)}`);
  return true;
}
