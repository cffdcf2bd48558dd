// The evidence export dialog of the full-screen view (docs/recording.md "Evidence export", "Console"); shown only to
// admin and operator (the API refuses other roles too). From, to and a reason (4..500 characters) → POST
// /api/cameras/:id/exports; then GET /api/exports/:id every 500 ms until done or failed, a progress bar meanwhile;
// done: the SHA-256 for the officer to note down and a link that downloads the MP4 (with the session's token,
// so through fetch and a blob URL).
import { api, describeError } from './api.js';
import { formatNumber, t } from './i18n.js';
import { h } from './util.js';

export const POLL_MS = 500;
const REASON_MIN = 4;
const REASON_MAX = 500;

/** The value of a datetime-local input (local time, to the second) for a time (ms), and back. */
export const localInputValue = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
export const parseLocalInput = (value) => (value ? new Date(value).getTime() : NaN);
const fileName = (camera, view) => `${String(camera.name ?? camera.id).replace(/[\\/:*?"<>|\s]+/g, '_')}-${view.from.replace(/[:.]/g, '-')}.mp4`;

const stateName = (state) => t(`export.state.${state}`);

/** Opens the dialog for `camera` with the range [from, to) (ms) filled in; returns {close}. */
export function openExportDialog({ camera, profile, from, to, onClose }) {
  let pollTimer = null;
  let closed = false;
  let blobUrl = null;
  const fromInput = h('input', { type: 'datetime-local', id: 'export-from', name: 'from', step: 1, required: true, value: localInputValue(from) });
  const toInput = h('input', { type: 'datetime-local', id: 'export-to', name: 'to', step: 1, required: true, value: localInputValue(to) });
  const reason = h('textarea', { id: 'export-reason', name: 'reason', rows: 3, cols: 48, required: true, minLength: REASON_MIN, maxLength: REASON_MAX });
  const submit = h('button', { type: 'submit', id: 'export-submit' }, t('export.submit'));
  const message = h('p', { id: 'export-message', class: 'export-message', role: 'alert' });
  const bar = h('progress', { id: 'export-progress', max: 1, value: 0, hidden: true });
  const progressText = h('span', { id: 'export-progress-text', 'aria-live': 'polite' });
  const result = h('div', { id: 'export-result', class: 'export-result', hidden: true });
  const form = h('form', { id: 'export-form', method: 'dialog', novalidate: true, onsubmit: (e) => { e.preventDefault(); void start(); } },
    h('p', {}, t('export.camera', { name: camera.name ?? camera.id })),
    h('div', { class: 'row' }, h('label', {}, t('export.from'), ' ', fromInput), h('label', {}, t('export.to'), ' ', toInput)),
    h('label', { class: 'export-reason' }, t('export.reason'), reason),
    h('div', { class: 'row' }, submit, h('button', { type: 'button', id: 'export-close', onclick: () => close() }, t('export.close'))),
    message,
    h('div', { class: 'row' }, bar, progressText),
    result);
  const dialog = h('dialog', { id: 'export-dialog', class: 'export-dialog', 'aria-labelledby': 'export-title' },
    h('h3', { id: 'export-title' }, t('export.title')), form);
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  document.getElementById('overlay').append(dialog);
  dialog.showModal();
  reason.focus();

  function say(text, kind = 'error') {
    message.textContent = text ?? '';
    message.className = `export-message ${kind}`;
  }

  function validate() {
    const f = parseLocalInput(fromInput.value);
    const tt = parseLocalInput(toInput.value);
    if (!Number.isFinite(f) || !Number.isFinite(tt) || f >= tt) return { error: t('export.badRange') };
    const text = reason.value.trim();
    if (text.length < REASON_MIN) return { error: t('export.reasonShort', { min: REASON_MIN }) };
    if (text.length > REASON_MAX) return { error: t('export.reasonLong', { max: REASON_MAX }) };
    return { from: f, to: tt, reason: text };
  }

  async function start() {
    const v = validate();
    if (v.error) { say(v.error); return; }
    say('');
    submit.disabled = true;
    result.hidden = true;
    let view;
    try {
      view = await api('POST', `/api/cameras/${encodeURIComponent(camera.id)}/exports`, {
        from: new Date(v.from).toISOString(), to: new Date(v.to).toISOString(), reason: v.reason, ...(profile ? { profile } : {}),
      });
    } catch (e) {
      if (closed) return;
      submit.disabled = false;
      say(describeError(e, 'export'));
      return;
    }
    if (closed) return;
    for (const el of [fromInput, toInput, reason]) el.disabled = true;
    show(view);
  }

  function show(view) {
    bar.hidden = false;
    bar.value = Math.min(Math.max(Number(view.progress) || 0, 0), 1);
    bar.dataset.state = view.state;
    progressText.textContent = t('export.progress', { state: stateName(view.state), percent: formatNumber(Math.round(bar.value * 100)) });
    if (view.state === 'done') return done(view);
    if (view.state === 'failed') {
      submit.disabled = false;
      for (const el of [fromInput, toInput, reason]) el.disabled = false;
      say(t('export.failed', { reason: failureName(view.failure) }));
      return;
    }
    pollTimer = setTimeout(() => void poll(view.id), POLL_MS);
  }

  async function poll(id) {
    pollTimer = null;
    if (closed) return;
    try {
      show(await api('GET', `/api/exports/${encodeURIComponent(id)}`));
    } catch (e) {
      if (closed) return;
      say(describeError(e, 'export'));
      pollTimer = setTimeout(() => void poll(id), POLL_MS * 4); // a passing fault: keep asking, slower
    }
  }

  function done(view) {
    const link = h('a', { href: '#', id: 'export-download', class: 'export-download', onclick: (e) => { e.preventDefault(); void download(view, link); } }, t('export.download'));
    result.replaceChildren(
      h('p', {}, t('export.done', { mb: formatNumber((view.bytes ?? 0) / 1e6, { maximumFractionDigits: 1 }) })),
      h('p', {}, t('export.sha256')),
      h('code', { id: 'export-sha256', class: 'export-sha256', tabIndex: 0 }, view.sha256 ?? ''),
      h('p', {}, link));
    result.hidden = false;
    say(t('export.reasonKept', { reason: view.reason }), 'info');
  }

  async function download(view, link) {
    link.setAttribute('aria-busy', 'true');
    try {
      const res = await api('GET', `/api/exports/${encodeURIComponent(view.id)}/download`, undefined, { raw: true });
      const blob = await res.blob();
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(blob);
      const a = h('a', { href: blobUrl, download: fileName(camera, view), hidden: true });
      dialog.append(a);
      a.click();
      a.remove();
    } catch (e) {
      say(describeError(e, 'export'));
    } finally {
      link.removeAttribute('aria-busy');
    }
  }

  function close() {
    if (closed) return;
    closed = true;
    clearTimeout(pollTimer);
    if (dialog.open) dialog.close();
    dialog.remove();
    // The blob stays valid for a download already started; it is released a while later.
    if (blobUrl) { const url = blobUrl; setTimeout(() => URL.revokeObjectURL(url), 60_000); }
    onClose?.();
  }

  return { close };
}

/** The failure code of an export (EXPORT_FAILURES in libs/contracts/src/recording.ts) in the reader's words. */
function failureName(code) {
  const key = `export.failure.${code ?? 'io-failed'}`;
  const said = t(key);
  return said === key ? t('export.failure.io-failed') : said;
}
