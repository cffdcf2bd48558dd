// Login form: POST /api/auth/login, keeps the session for every tab of this origin (see api.js).
import { api, describeError, setSession } from './api.js';
import { bindLanguageSelect, t } from './i18n.js';
import { h } from './util.js';

export function mountLogin(container, { onLoggedIn, message }) {
  const error = h('p', { class: 'error', id: 'login-error', role: 'alert' }, message ?? '');
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, t('login.submit'));
  const language = bindLanguageSelect(h('select', { id: 'login-lang', 'aria-label': 'Language / 语言' }));
  const form = h('form', { id: 'login-form', class: 'login' },
    h('h1', {}, t('login.heading')),
    h('label', {}, t('login.username'), username),
    h('label', {}, t('login.password'), password),
    submit, error, language);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      const res = await api('POST', '/api/auth/login', { username: username.value, password: password.value });
      setSession({ accessToken: res.accessToken, expiresAt: res.expiresAt, user: res.user });
      onLoggedIn();
    } catch (err) {
      error.textContent = describeError(err, 'login');
    } finally {
      submit.disabled = false;
    }
  });
  container.replaceChildren(form);
  return () => undefined;
}
