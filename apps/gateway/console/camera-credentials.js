// The credentials part of the camera editor: username and a new password (never shown back: the API answers only
// whether there are credentials). After a change the camera is checked again at once (the health monitor checks a
// changed camera); the form follows its status for a while and says in words what the camera answered.
import { api, describeError } from './api.js';
import { formatTime, statusName, t } from './i18n.js';
import { h, sleep, statusBadge } from './util.js';

/** How long the form waits for the camera's check after a change, and how often it asks. */
const FOLLOW_MS = 20_000;
const FOLLOW_EVERY_MS = 1000;

/** The credentials form for `camera` ({id, name, onvif?, hasCredentials}); `onStatus(camera)` after each reading. */
export function credentialsForm(camera, { onStatus = () => undefined } = {}) {
  const username = h('input', { name: 'cred-username', id: 'cred-username', autocomplete: 'off', value: camera.onvif?.username ?? '', maxLength: 128 });
  const password = h('input', { name: 'cred-password', id: 'cred-password', type: 'password', autocomplete: 'new-password', maxLength: 256, placeholder: camera.hasCredentials ? t('ops.creds.passwordSet') : '' });
  const result = h('p', { class: 'result', id: 'cred-result', role: 'status' });
  const submit = h('button', { type: 'submit', id: 'cred-submit' }, t('ops.creds.submit'));
  const form = h('form', { id: 'camera-credentials', class: 'row', autocomplete: 'off' },
    h('strong', {}, t('ops.creds.title')), ' ',
    h('label', {}, t('ops.add.username'), ' ', username), ' ',
    h('label', {}, t('ops.add.password'), ' ', password), ' ', submit, result);
  // The list's camera has no credentials fields: the stored username (never a password) from the camera itself.
  api('GET', `/api/cameras/${encodeURIComponent(camera.id)}`).then((detail) => {
    if (!username.value && detail?.onvif?.username) username.value = detail.onvif.username;
    if (detail?.hasCredentials) password.placeholder = t('ops.creds.passwordSet');
  }).catch(() => undefined);
  let following = 0;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const mine = ++following;
    delete result.dataset.status;
    if (!username.value.trim()) { result.className = 'result error'; result.textContent = t('ops.creds.usernameFirst'); return; }
    let before = null;
    try {
      submit.disabled = true;
      // The camera's last check before the change: the form waits for the next one (no clock is compared).
      before = (await api('GET', `/api/cameras/${encodeURIComponent(camera.id)}`)).statusCheckedAt ?? null;
      await api('PATCH', `/api/cameras/${encodeURIComponent(camera.id)}`, { credentials: { username: username.value.trim(), password: password.value } });
    } catch (err) {
      result.className = 'result error';
      result.textContent = describeError(err);
      return;
    } finally {
      submit.disabled = false;
      password.value = ''; // never kept in the page once sent
    }
    result.className = 'result';
    result.textContent = t('ops.creds.checking');
    const deadline = Date.now() + FOLLOW_MS;
    while (mine === following && form.isConnected && Date.now() < deadline) {
      await sleep(FOLLOW_EVERY_MS);
      let cam;
      try { cam = await api('GET', `/api/cameras/${encodeURIComponent(camera.id)}`); } catch { continue; }
      if (mine !== following) return;
      onStatus(cam);
      if ((cam.statusCheckedAt ?? null) !== before) { showOutcome(cam); return; }
    }
    if (mine === following) { result.className = 'result'; result.textContent = t('ops.creds.notYet'); }
  });
  function showOutcome(cam) {
    const key = ['online', 'unauthorized', 'offline'].includes(cam.status) ? cam.status : 'other';
    result.className = cam.status === 'online' ? 'result ok' : 'result error';
    result.dataset.status = cam.status;
    result.replaceChildren(statusBadge(cam.status), ' ', t(`ops.creds.outcome.${key}`, { status: statusName(cam.status), time: formatTime(cam.statusCheckedAt) }),
      cam.statusReason ? ` (${cam.statusReason})` : '');
  }
  return form;
}
