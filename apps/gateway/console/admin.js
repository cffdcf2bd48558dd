// Administration (admins only): users of the admin's subtree, temporary grants, wall screens (admin-wall-devices.js), the
// audit log with filters and CSV export.
// Everything here calls the same API as scripts do (GET/POST/PATCH /api/users, /api/grants, /api/wall-devices, /api/audit); the server
// decides what an admin of a station may see (its subtree), the screen only shows it.
import { mountWallDevices } from './admin-wall-devices.js';
import { api, ApiError, apiPage, describeError } from './api.js';
import { errorText, formatDate, hasKey, roleName, t, tierName } from './i18n.js';
import { Disposer, h, query } from './util.js';

const ROLES = ['admin', 'operator', 'viewer', 'analyst'];
const TABS = ['users', 'grants', 'walls', 'audit'];
const AUDIT_PAGE = 50;
/** The server's largest CSV export (apps/gateway/src/audit/audit.dto.ts AUDIT_CSV_MAX). */
const CSV_MAX = 10_000;
/** Audit actions offered in the filter (any other can be typed; a trailing * matches a prefix). */
const KNOWN_ACTIONS = ['auth.login', 'auth.login-failed', 'auth.logout', 'camera.live', 'camera.playback', 'camera.*', 'user.*', 'grant.*', 'recording.export*', 'wall-device.*', 'auth.device*'];
const WITH_SECONDS = { dateStyle: 'medium', timeStyle: 'medium' };

/**
 * The password policy's refusals (libs/access password-policy.ts) as sentences in the console's language; any other
 * error as describeError does. The server's English sentence is matched rule by rule, its numbers kept.
 */
export function passwordErrorText(e) {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED' || !/password/.test(e.message ?? '')) return describeError(e);
  const m = String(e.message);
  let text;
  let found;
  if ((found = /at least (\d+) characters long \(it has (\d+)\)/.exec(m))) text = t('admin.pw.short', { min: Number(found[1]), length: Number(found[2]) });
  else if ((found = /at most (\d+) characters/.exec(m))) text = t('admin.pw.long', { max: Number(found[1]) });
  else if (/not be the username/.test(m)) text = t('admin.pw.username');
  else if ((found = /at least (\d+) different characters/.exec(m))) text = t('admin.pw.distinct', { min: Number(found[1]) });
  else if (/most common passwords/.test(m)) text = t('admin.pw.common');
  else text = errorText(e.code, e.message);
  return t('error.withCode', { text, code: e.code });
}

/** A <input type=datetime-local> value (local time) as an ISO instant, or '' when empty. */
const isoOfLocal = (value) => (value ? new Date(value).toISOString() : '');
/** A Date as a datetime-local value in the browser's time zone. */
function localValue(date) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}
const actionName = (action) => (hasKey(`admin.action.${action}`) ? t(`admin.action.${action}`) : action);

export function mountAdmin(container, { jurisdictions, notify, params, navigate, user: me }) {
  const d = new Disposer();
  const tab = TABS.includes(params.get('tab')) ? params.get('tab') : 'users';
  const jName = (id) => { const j = jurisdictions.find((x) => x.id === id); return j ? `${j.name} (${tierName(j.tier)})` : null; };
  const jurisdictionOptions = (selected, empty) => [
    empty === undefined ? null : h('option', { value: '' }, empty),
    ...jurisdictions.map((j) => h('option', { value: j.id, selected: j.id === selected }, `${j.name} (${tierName(j.tier)})`)),
  ];
  const roleOptions = (selected) => ROLES.map((r) => h('option', { value: r, selected: r === selected }, roleName(r)));

  container.append(
    h('nav', { class: 'admin-tabs', id: 'admin-tabs' }, TABS.map((k) =>
      h('a', { href: `#/admin?tab=${k}`, id: `admin-tab-${k}`, class: k === tab ? 'active' : '', onclick: (e) => { e.preventDefault(); navigate(`#/admin?tab=${k}`); } }, t(`admin.tab.${k}`)))),
  );
  const body = h('div', { class: 'admin-body', id: `admin-${tab}` });
  container.append(body);

  /** Known usernames of the admin's subtree, for the grantee and audit user fields. */
  const userList = h('datalist', { id: 'admin-usernames' });
  body.append(userList);
  let users = [];
  async function loadUsers() {
    users = await api('GET', '/api/users');
    userList.replaceChildren(...users.map((u) => h('option', { value: u.username })));
    return users;
  }

  /** A camera field: type part of a name, pick one of the matches (cameras the admin sees). */
  function cameraPicker(id, emptyLabel) {
    const search = h('input', { id: `${id}-search`, placeholder: t('admin.cameraSearch'), size: 16 });
    const select = h('select', { id }, h('option', { value: '' }, emptyLabel));
    let seq = 0;
    let timer = null;
    async function fill() {
      const mine = ++seq;
      try {
        const { items } = await apiPage(`/api/cameras${query({ q: search.value.trim() })}`, { limit: 50 });
        if (mine !== seq) return;
        const keep = select.value;
        select.replaceChildren(h('option', { value: '' }, emptyLabel), ...items.map((c) => h('option', { value: c.id, selected: c.id === keep }, `${c.name} · ${jName(c.jurisdictionId) ?? ''}`)));
        if (items.length === 1 && search.value.trim()) { select.value = items[0].id; select.dispatchEvent(new Event('change')); }
      } catch (e) { notify(describeError(e)); }
    }
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(fill, 250); });
    d.add(() => clearTimeout(timer));
    void fill();
    return { search, select };
  }

  // ------------------------------------------------------------------ users
  function mountUsers() {
    const tbody = h('tbody', { id: 'user-rows' });
    const count = h('span', { class: 'muted', id: 'user-count' });
    async function load() {
      try {
        const list = await loadUsers();
        count.textContent = t('admin.users.count', { count: list.length });
        tbody.replaceChildren(...list.map(userRow));
      } catch (e) { notify(describeError(e)); }
    }
    function userRow(u) {
      const role = h('select', { class: 'user-role', title: t('admin.users.role'), 'aria-label': `${t('admin.users.role')}: ${u.username}` }, roleOptions(u.role));
      const home = h('select', { class: 'user-home', title: t('admin.users.home'), 'aria-label': `${t('admin.users.home')}: ${u.username}` }, jurisdictionOptions(u.jurisdictionId, u.jurisdictionId ? undefined : t('admin.users.noHome')));
      const result = h('span', { class: 'result user-result' });
      const save = h('button', { type: 'button', class: 'user-save', disabled: true }, t('admin.users.save'));
      const changed = () => { save.disabled = role.value === u.role && (home.value || null) === u.jurisdictionId; };
      role.addEventListener('change', changed);
      home.addEventListener('change', changed);
      const patch = async (body, done) => {
        result.className = 'result user-result';
        result.textContent = '';
        try {
          await api('PATCH', `/api/users/${encodeURIComponent(u.id)}`, body);
          if (done) done();
          await load();
          notify(t('admin.users.saved', { name: u.username }), 'info');
        } catch (e) {
          result.className = 'result user-result error';
          result.textContent = body.password !== undefined ? passwordErrorText(e) : describeError(e);
        }
      };
      save.addEventListener('click', () => {
        const body = {};
        if (role.value !== u.role) body.role = role.value;
        if ((home.value || null) !== u.jurisdictionId && home.value) body.jurisdictionId = home.value;
        void patch(body);
      });
      const pw = h('input', { type: 'password', class: 'user-new-password', autocomplete: 'new-password', placeholder: t('admin.users.newPassword'), hidden: true });
      const pwSet = h('button', { type: 'button', class: 'user-set-password', hidden: true }, t('admin.users.setPassword'));
      const reset = h('button', { type: 'button', class: 'user-reset' }, t('admin.users.resetPassword'));
      reset.addEventListener('click', () => { pw.hidden = !pw.hidden; pwSet.hidden = pw.hidden; if (!pw.hidden) pw.focus(); });
      pwSet.addEventListener('click', () => void patch({ password: pw.value }, () => { pw.value = ''; }));
      const toggle = h('button', { type: 'button', class: u.disabled ? 'user-enable' : 'user-disable' }, u.disabled ? t('admin.users.enable') : t('admin.users.disable'));
      toggle.addEventListener('click', () => {
        if (!u.disabled && !confirm(t('admin.users.confirmDisable', { name: u.username }))) return;
        void patch({ disabled: !u.disabled });
      });
      const self = u.id === me.id;
      if (self) for (const c of [role, home, toggle, reset]) c.disabled = true;
      return h('tr', { dataset: { userId: u.id, username: u.username }, class: u.disabled ? 'user-disabled' : '' },
        h('td', { class: 'user-name' }, u.username, self ? h('span', { class: 'muted' }, ` (${t('admin.users.you')})`) : null),
        h('td', {}, role),
        h('td', {}, home),
        h('td', { class: 'user-state' }, h('span', { class: `chip ${u.disabled ? 'chip-off' : 'chip-on'}` }, u.disabled ? t('admin.users.disabled') : t('admin.users.enabled'))),
        h('td', { class: 'user-actions' }, save, ' ', reset, ' ', pw, ' ', pwSet, ' ', toggle, ' ', result));
    }

    const f = {
      username: h('input', { name: 'username', id: 'new-user-username', required: true, autocomplete: 'off' }),
      password: h('input', { name: 'password', id: 'new-user-password', type: 'password', required: true, autocomplete: 'new-password' }),
      role: h('select', { name: 'role', id: 'new-user-role' }, roleOptions('viewer')),
      home: h('select', { name: 'jurisdictionId', id: 'new-user-home' }, jurisdictionOptions(me.jurisdictionId ?? jurisdictions[0]?.id ?? '', me.jurisdictionId ? undefined : t('admin.users.noHome'))),
    };
    const createResult = h('p', { class: 'result', id: 'new-user-result', role: 'status' });
    const form = h('form', { id: 'new-user', class: 'panel' },
      h('h3', {}, t('admin.users.create')),
      h('div', { class: 'row' },
        h('label', {}, t('admin.users.username'), ' ', f.username),
        h('label', {}, t('admin.users.password'), ' ', f.password),
        h('label', {}, t('admin.users.role'), ' ', f.role),
        h('label', {}, t('admin.users.home'), ' ', f.home),
        h('button', { type: 'submit' }, t('admin.users.createSubmit'))),
      h('p', { class: 'muted' }, t('admin.users.passwordRules')),
      createResult);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      createResult.className = 'result';
      createResult.textContent = '';
      try {
        const created = await api('POST', '/api/users', { username: f.username.value.trim(), password: f.password.value, role: f.role.value, jurisdictionId: f.home.value || null });
        createResult.className = 'result ok';
        createResult.textContent = t('admin.users.created', { name: created.username, role: roleName(created.role) });
        f.username.value = '';
        f.password.value = '';
        await load();
      } catch (err) {
        createResult.className = 'result error';
        createResult.textContent = passwordErrorText(err);
      }
    });

    body.append(form, h('div', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('h3', {}, t('admin.users.title')), count),
      h('table', { class: 'grid', id: 'user-table' },
        h('thead', {}, h('tr', {}, ['username', 'role', 'home', 'state', 'actions'].map((c) => h('th', {}, t(`admin.users.col.${c}`))))), tbody)));
    void load();
  }

  // ------------------------------------------------------------------ grants
  function mountGrants() {
    const tbody = h('tbody', { id: 'grant-rows' });
    const count = h('span', { class: 'muted', id: 'grant-count' });
    async function load() {
      try {
        const { items, total } = await apiPage('/api/grants', { limit: 500 });
        count.textContent = t('admin.grants.count', { count: total });
        tbody.replaceChildren(...items.map(grantRow));
      } catch (e) { notify(describeError(e)); }
    }
    function grantRow(g) {
      const target = g.cameraId ? t('admin.grants.cameraTarget', { name: g.cameraName ?? g.cameraId }) : t('admin.grants.jurisdictionTarget', { name: g.jurisdictionName ?? g.jurisdictionId });
      const grantee = g.granteeUserId ? (g.granteeUsername ?? g.granteeUserId) : t('admin.grants.everyoneIn', { name: g.granteeJurisdictionName ?? g.granteeJurisdictionId });
      const revoke = g.state === 'active' || g.state === 'pending'
        ? h('button', { type: 'button', class: 'grant-revoke', onclick: async () => {
          if (!confirm(t('admin.grants.confirmRevoke', { target, grantee }))) return;
          try { await api('DELETE', `/api/grants/${encodeURIComponent(g.id)}`); await load(); } catch (e) { notify(describeError(e)); }
        } }, t('admin.grants.revoke'))
        : null;
      return h('tr', { dataset: { grantId: g.id, state: g.state }, class: `grant-${g.state}` },
        h('td', { class: 'grant-target' }, target),
        h('td', { class: 'grant-grantee' }, grantee),
        h('td', { class: 'grant-expires' }, formatDate(g.expiresAt)),
        h('td', { class: 'grant-state' }, h('span', { class: `chip grant-chip-${g.state}` }, t(`admin.grants.state.${g.state}`))),
        h('td', { class: 'grant-reason' }, g.reason ?? ''),
        h('td', {}, revoke));
    }

    const kind = h('select', { id: 'grant-kind' }, h('option', { value: 'camera' }, t('admin.grants.kindCamera')), h('option', { value: 'jurisdiction' }, t('admin.grants.kindJurisdiction')));
    const camera = cameraPicker('grant-camera', t('admin.grants.pickCamera'));
    const jurisdiction = h('select', { id: 'grant-jurisdiction', hidden: true }, jurisdictionOptions('', t('admin.grants.pickJurisdiction')));
    const grantee = h('input', { id: 'grant-grantee', list: 'admin-usernames', required: true, autocomplete: 'off', placeholder: t('admin.grants.granteePlaceholder') });
    const expires = h('input', { id: 'grant-expires', type: 'datetime-local', required: true, value: localValue(new Date(Date.now() + 24 * 3600_000)) });
    const reason = h('input', { id: 'grant-reason', maxLength: 500, size: 30, placeholder: t('admin.grants.reasonPlaceholder') });
    const result = h('p', { class: 'result', id: 'grant-result', role: 'status' });
    kind.addEventListener('change', () => {
      const cam = kind.value === 'camera';
      camera.search.hidden = !cam;
      camera.select.hidden = !cam;
      jurisdiction.hidden = cam;
    });
    const form = h('form', { id: 'new-grant', class: 'panel' },
      h('h3', {}, t('admin.grants.create')),
      h('div', { class: 'row' }, h('label', {}, t('admin.grants.what'), ' ', kind), camera.search, camera.select, jurisdiction),
      h('div', { class: 'row' },
        h('label', {}, t('admin.grants.grantee'), ' ', grantee),
        h('label', {}, t('admin.grants.expires'), ' ', expires),
        h('label', {}, t('admin.grants.reason'), ' ', reason),
        h('button', { type: 'submit' }, t('admin.grants.createSubmit'))),
      h('p', { class: 'muted' }, t('admin.grants.hint')),
      result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      result.className = 'result';
      result.textContent = '';
      const payload = { granteeUsername: grantee.value.trim(), expiresAt: isoOfLocal(expires.value) };
      if (kind.value === 'camera') payload.cameraId = camera.select.value || undefined;
      else payload.jurisdictionId = jurisdiction.value || undefined;
      if (reason.value.trim()) payload.reason = reason.value.trim();
      if (!payload.cameraId && !payload.jurisdictionId) { result.className = 'result error'; result.textContent = t('admin.grants.needTarget'); return; }
      try {
        const g = await api('POST', '/api/grants', payload);
        result.className = 'result ok';
        result.textContent = t('admin.grants.created', { grantee: g.granteeUsername ?? payload.granteeUsername, until: formatDate(g.expiresAt) });
        await load();
      } catch (err) {
        result.className = 'result error';
        result.textContent = describeError(err, 'grant');
      }
    });

    body.append(form, h('div', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('h3', {}, t('admin.grants.title')), count),
      h('table', { class: 'grid', id: 'grant-table' },
        h('thead', {}, h('tr', {}, ['target', 'grantee', 'expires', 'state', 'reason', 'actions'].map((c) => h('th', {}, t(`admin.grants.col.${c}`))))), tbody)));
    void loadUsers().catch(() => undefined);
    void load();
  }

  // ------------------------------------------------------------------ audit
  function mountAudit() {
    const fUser = h('input', { id: 'audit-user', list: 'admin-usernames', placeholder: t('admin.audit.anyUser'), size: 14, autocomplete: 'off', value: params.get('actor') ?? '' });
    const actionList = h('datalist', { id: 'admin-actions' }, KNOWN_ACTIONS.map((a) => h('option', { value: a }, actionName(a))));
    const fAction = h('input', { id: 'audit-action', list: 'admin-actions', placeholder: t('admin.audit.anyAction'), size: 16, autocomplete: 'off' });
    const camera = cameraPicker('audit-camera', t('admin.audit.anyCamera'));
    const fFrom = h('input', { id: 'audit-from', type: 'datetime-local' });
    const fTo = h('input', { id: 'audit-to', type: 'datetime-local' });
    const apply = h('button', { type: 'submit', id: 'audit-apply' }, t('admin.audit.apply'));
    const exportButton = h('button', { type: 'button', id: 'audit-export' }, t('admin.audit.export'));
    const exportNote = h('span', { class: 'muted', id: 'audit-export-note' });
    const tbody = h('tbody', { id: 'audit-rows' });
    const count = h('span', { class: 'muted', id: 'audit-count' });
    let offset = 0;
    const prev = h('button', { type: 'button', id: 'audit-prev', onclick: () => { offset = Math.max(0, offset - AUDIT_PAGE); void load(); } }, t('ops.previous'));
    const next = h('button', { type: 'button', id: 'audit-next', onclick: () => { offset += AUDIT_PAGE; void load(); } }, t('ops.next'));
    const filters = () => query({ actor: fUser.value.trim(), action: fAction.value.trim(), targetId: camera.select.value, from: isoOfLocal(fFrom.value), to: isoOfLocal(fTo.value) });
    let seq = 0;
    async function load() {
      const mine = ++seq;
      try {
        const { items, total } = await apiPage(`/api/audit${filters()}`, { limit: AUDIT_PAGE, offset });
        if (mine !== seq) return;
        count.textContent = total > items.length ? t('admin.audit.range', { from: offset + 1, to: offset + items.length, total }) : t('admin.audit.count', { count: total });
        prev.disabled = offset === 0;
        next.disabled = offset + items.length >= total;
        tbody.replaceChildren(...(items.length ? items.map(auditRow) : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('admin.audit.none')))]));
      } catch (e) { notify(describeError(e)); }
    }
    function auditRow(a) {
      const target = a.targetType ? `${a.targetName ?? a.targetId ?? ''}` : '';
      return h('tr', { dataset: { auditId: a.id, action: a.action, targetId: a.targetId ?? '' } },
        h('td', { class: 'audit-at', title: a.at }, formatDate(a.at, WITH_SECONDS)),
        h('td', { class: 'audit-actor' }, a.actorName ?? '—'),
        h('td', { class: 'audit-action', title: a.action }, actionName(a.action)),
        h('td', { class: 'audit-target', title: a.targetId ?? '' }, a.targetType ? h('span', { class: 'muted' }, `${hasKey(`admin.audit.type.${a.targetType}`) ? t(`admin.audit.type.${a.targetType}`) : a.targetType} `) : null, target),
        h('td', { class: 'audit-ip' }, a.ip ?? '—'),
        h('td', { class: 'audit-details' }, a.details ? JSON.stringify(a.details) : ''));
    }
    const form = h('form', { id: 'audit-filters', class: 'toolbar panel' },
      h('label', {}, t('admin.audit.user'), ' ', fUser),
      h('label', {}, t('admin.audit.action'), ' ', fAction),
      h('label', {}, t('admin.audit.camera'), ' ', camera.search, camera.select),
      h('label', {}, t('admin.audit.from'), ' ', fFrom),
      h('label', {}, t('admin.audit.to'), ' ', fTo),
      apply, exportButton, exportNote, actionList);
    form.addEventListener('submit', (e) => { e.preventDefault(); offset = 0; void load(); });
    camera.select.addEventListener('change', () => { offset = 0; void load(); });
    // The export: the whole filter (up to the server's 10,000 rows) as a file, fetched with the session's token.
    exportButton.addEventListener('click', async () => {
      exportButton.disabled = true;
      exportNote.textContent = t('admin.audit.exporting');
      try {
        const sep = filters() ? '&' : '?';
        const res = await api('GET', `/api/audit${filters()}${sep}format=csv`, undefined, { raw: true });
        const blob = await res.blob();
        const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'tiergate-audit.csv';
        const url = URL.createObjectURL(blob);
        const a = h('a', { href: url, download: name, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        exportNote.textContent = t('admin.audit.exported', { count: Math.min(Number(res.headers.get('x-total-count') ?? 0), CSV_MAX), name });
      } catch (e) {
        exportNote.textContent = '';
        notify(describeError(e));
      } finally {
        exportButton.disabled = false;
      }
    });
    body.append(form, h('div', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('h3', {}, t('admin.audit.title')), count, prev, next),
      h('table', { class: 'grid', id: 'audit-table' },
        h('thead', {}, h('tr', {}, ['at', 'user', 'action', 'target', 'ip', 'details'].map((c) => h('th', {}, t(`admin.audit.col.${c}`))))), tbody)));
    void loadUsers().catch(() => undefined);
    void load();
  }

  ({ users: mountUsers, grants: mountGrants, walls: () => mountWallDevices(body, { jurisdictions, notify, d }), audit: mountAudit })[tab]();
  return () => d.dispose();
}
