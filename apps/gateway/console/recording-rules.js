// Recording rules and investigation holds (#/recording, admins and operators; issue 14, docs/recording.md "Rules").
// The screen lists the rules of the user's scope (GET /api/recording-rules) with their target in words, and lets the
// user create, edit, enable or disable and delete the rules their home subtree owns; below, the investigation holds
// of the cameras they see (GET/POST/DELETE /api/recording-holds). The server decides scope and roles; the screen
// only offers what it would accept and says its refusals in sentences (describeError with the 'recordingRule' and
// 'recordingHold' scopes).
import { api, apiPage, describeError } from './api.js';
import { formatDate, t, tierName } from './i18n.js';
import { Disposer, h, query } from './util.js';

const TARGET_TYPES = ['camera', 'tag', 'jurisdiction'];
const MODES = ['continuous', 'buffer'];
const PROFILES = ['sub', 'main'];
/** The API's defaults and limits (apps/gateway/src/recordings/recording-rules.dto.ts, recording-holds.dto.ts). */
const DEFAULT_BUFFER_MINUTES = 5;
const MAX_BUFFER_MINUTES = 120;
const DEFAULT_RETENTION_DAYS = 30;
const MAX_RETENTION_DAYS = 365;
const MIN_HOLD_REASON = 4;
const MAX_HOLD_REASON = 500;

/** The ids of `home` and every node below it (all nodes for an account without a home, the built-in admin). */
export function subtreeIds(jurisdictions, home) {
  if (!home) return new Set(jurisdictions.map((j) => j.id));
  const children = new Map();
  for (const j of jurisdictions) if (j.parentId) children.set(j.parentId, [...(children.get(j.parentId) ?? []), j.id]);
  const out = new Set();
  const todo = [home];
  while (todo.length) {
    const id = todo.pop();
    if (out.has(id)) continue;
    out.add(id);
    todo.push(...(children.get(id) ?? []));
  }
  return out;
}

/** A Date as a datetime-local value in the browser's time zone. */
function localValue(date) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

export function mountRecordingRules(container, { jurisdictions, notify, user }) {
  const d = new Disposer();
  let alive = true;
  d.add(() => { alive = false; });
  const jById = new Map(jurisdictions.map((j) => [j.id, j]));
  const jName = (id) => { const j = jById.get(id); return j ? `${j.name} (${tierName(j.tier)})` : t('rec.unknownJurisdiction'); };
  /** Nodes whose rules this user may write: their home subtree (the server's check, offered ahead of it). */
  const administered = subtreeIds(jurisdictions, user.jurisdictionId);
  const ownNodes = jurisdictions.filter((j) => administered.has(j.id));
  const nodeOptions = (selected) => ownNodes.map((j) => h('option', { value: j.id, selected: j.id === selected }, `${j.name} (${tierName(j.tier)})`));

  /** Camera names by id (the targets and holds name cameras by id); filled from GET /api/cameras/:id. */
  const cameraNames = new Map();
  async function nameCameras(ids) {
    const missing = [...new Set(ids)].filter((id) => !cameraNames.has(id));
    await Promise.all(missing.map(async (id) => {
      try { cameraNames.set(id, (await api('GET', `/api/cameras/${encodeURIComponent(id)}`)).name); } catch { cameraNames.set(id, null); }
    }));
  }
  const cameraName = (id) => cameraNames.get(id) ?? t('rec.unknownCamera');

  /** A camera field: type part of a name, pick one of the matches (the cameras the user sees). */
  function cameraPicker(id) {
    const search = h('input', { id: `${id}-search`, placeholder: t('rec.cameraSearch'), size: 16, autocomplete: 'off' });
    const select = h('select', { id }, h('option', { value: '' }, t('rec.cameraPick')));
    let seq = 0;
    let timer = null;
    async function fill(keep = select.value) {
      const mine = ++seq;
      try {
        const { items } = await apiPage(`/api/cameras${query({ q: search.value.trim() })}`, { limit: 50 });
        if (mine !== seq || !alive) return;
        for (const c of items) cameraNames.set(c.id, c.name);
        const options = items.map((c) => h('option', { value: c.id }, `${c.name} · ${jName(c.jurisdictionId)}`));
        if (keep && !items.some((c) => c.id === keep)) options.unshift(h('option', { value: keep }, cameraName(keep)));
        select.replaceChildren(h('option', { value: '' }, t('rec.cameraPick')), ...options);
        // One match of a typed name is picked at once; otherwise the camera chosen before stays chosen.
        select.value = search.value.trim() && items.length === 1 ? items[0].id : keep;
      } catch (e) { notify(describeError(e)); }
    }
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => void fill(''), 250); });
    d.add(() => clearTimeout(timer));
    void fill();
    /** Chooses `cameraId` (or none) at once, then lists the cameras again around it. */
    function set(cameraId) {
      search.value = '';
      if (cameraId && ![...select.options].some((o) => o.value === cameraId)) select.append(h('option', { value: cameraId }, cameraName(cameraId)));
      select.value = cameraId;
      void fill(cameraId);
    }
    return { search, select, set };
  }

  // ------------------------------------------------------------------ rules
  const ruleRows = h('tbody', { id: 'rule-rows' });
  const ruleCount = h('span', { class: 'muted', id: 'rule-count' });

  function targetText(target) {
    if (target.type === 'camera') return t('rec.target.camera', { name: cameraName(target.value) });
    if (target.type === 'tag') return t('rec.target.tag', { tag: target.value });
    return t('rec.target.jurisdiction', { name: jName(target.value) });
  }
  const modeText = (r) => (r.mode === 'buffer' ? t('rec.mode.bufferMinutes', { minutes: r.bufferMinutes ?? DEFAULT_BUFFER_MINUTES }) : t('rec.mode.continuous'));

  async function loadRules() {
    try {
      const list = await api('GET', '/api/recording-rules');
      await nameCameras(list.filter((r) => r.target.type === 'camera').map((r) => r.target.value));
      if (!alive) return;
      ruleCount.textContent = t('rec.rules.count', { count: list.length });
      ruleRows.replaceChildren(...(list.length ? list.map(ruleRow) : [h('tr', {}, h('td', { colspan: 8, class: 'muted', id: 'rule-none' }, t('rec.rules.none')))]));
    } catch (e) { notify(describeError(e)); }
  }

  function ruleRow(r) {
    const mine = administered.has(r.jurisdictionId);
    const result = h('span', { class: 'result rule-result' });
    const act = async (fn) => {
      result.className = 'result rule-result';
      result.textContent = '';
      try { await fn(); await loadRules(); } catch (e) { result.className = 'result rule-result error'; result.textContent = describeError(e, 'recordingRule'); }
    };
    const actions = mine
      ? [
        h('button', { type: 'button', class: 'rule-edit', onclick: () => editRule(r) }, t('rec.rules.edit')),
        h('button', { type: 'button', class: 'rule-toggle', onclick: () => void act(async () => {
          await api('PATCH', `/api/recording-rules/${encodeURIComponent(r.id)}`, { enabled: !r.enabled });
          notify(t(r.enabled ? 'rec.rules.disabledNote' : 'rec.rules.enabledNote', { name: r.name }), 'info');
        }) }, r.enabled ? t('rec.rules.disable') : t('rec.rules.enable')),
        h('button', { type: 'button', class: 'rule-delete', onclick: () => {
          if (!confirm(t('rec.rules.confirmDelete', { name: r.name }))) return;
          void act(async () => {
            await api('DELETE', `/api/recording-rules/${encodeURIComponent(r.id)}`);
            if (editing?.id === r.id) resetForm();
            notify(t('rec.rules.deleted', { name: r.name }), 'info');
          });
        } }, t('rec.rules.delete')),
      ]
      : [h('span', { class: 'muted' }, t('rec.rules.notYours'))];
    return h('tr', { dataset: { ruleId: r.id, enabled: String(r.enabled) }, class: r.enabled ? '' : 'rule-off' },
      h('td', { class: 'rule-name' }, r.name),
      h('td', { class: 'rule-target' }, targetText(r.target)),
      h('td', { class: 'rule-mode' }, modeText(r)),
      h('td', { class: 'rule-profile' }, t(`rec.profile.${r.profile}`)),
      h('td', { class: 'rule-retention' }, t('rec.retentionDays', { count: r.retentionDays })),
      h('td', { class: 'rule-owner' }, jName(r.jurisdictionId)),
      h('td', { class: 'rule-state' }, h('span', { class: `chip ${r.enabled ? 'chip-on' : 'chip-off'}` }, r.enabled ? t('rec.rules.on') : t('rec.rules.off'))),
      h('td', { class: 'rule-actions' }, ...actions.flatMap((a) => [a, ' ']), result));
  }

  // The form: a new rule, or the rule being edited (only what changed is sent).
  let editing = null;
  const f = {
    name: h('input', { id: 'rule-name', maxLength: 200, autocomplete: 'off' }),
    targetType: h('select', { id: 'rule-target-type' }, TARGET_TYPES.map((x) => h('option', { value: x }, t(`rec.targetType.${x}`)))),
    camera: cameraPicker('rule-camera'),
    tag: h('input', { id: 'rule-tag', maxLength: 64, autocomplete: 'off', placeholder: t('rec.tagPlaceholder') }),
    node: h('select', { id: 'rule-target-jurisdiction' }, nodeOptions(user.jurisdictionId ?? ownNodes[0]?.id)),
    mode: h('select', { id: 'rule-mode' }, MODES.map((x) => h('option', { value: x }, t(`rec.mode.${x}`)))),
    bufferMinutes: h('input', { id: 'rule-buffer-minutes', type: 'number', min: 1, max: MAX_BUFFER_MINUTES, value: DEFAULT_BUFFER_MINUTES, size: 4 }),
    profile: h('select', { id: 'rule-profile' }, PROFILES.map((x) => h('option', { value: x }, t(`rec.profile.${x}`)))),
    retentionDays: h('input', { id: 'rule-retention-days', type: 'number', min: 1, max: MAX_RETENTION_DAYS, value: DEFAULT_RETENTION_DAYS, size: 4 }),
    owner: h('select', { id: 'rule-owner' }, nodeOptions(user.jurisdictionId ?? ownNodes[0]?.id)),
    enabled: h('input', { id: 'rule-enabled', type: 'checkbox', checked: true }),
  };
  const cameraField = h('label', { class: 'rule-target-field', dataset: { type: 'camera' } }, t('rec.targetType.camera'), ' ', f.camera.search, ' ', f.camera.select);
  const tagField = h('label', { class: 'rule-target-field', dataset: { type: 'tag' } }, t('rec.targetType.tag'), ' ', f.tag);
  const nodeField = h('label', { class: 'rule-target-field', dataset: { type: 'jurisdiction' } }, t('rec.targetType.jurisdiction'), ' ', f.node);
  const bufferField = h('label', { id: 'rule-buffer-field' }, t('rec.bufferMinutes'), ' ', f.bufferMinutes);
  const formTitle = h('h3', { id: 'rule-form-title' }, t('rec.rules.create'));
  const submit = h('button', { type: 'submit', id: 'rule-submit' }, t('rec.rules.createSubmit'));
  const cancel = h('button', { type: 'button', id: 'rule-cancel', hidden: true, onclick: () => resetForm() }, t('rec.rules.cancel'));
  const formResult = h('p', { class: 'result', id: 'rule-result', role: 'status' });
  const form = h('form', { id: 'rule-form', class: 'panel', noValidate: true },
    formTitle,
    h('div', { class: 'row' },
      h('label', {}, t('rec.name'), ' ', f.name),
      h('label', {}, t('rec.targetType'), ' ', f.targetType),
      cameraField, tagField, nodeField),
    h('div', { class: 'row' },
      h('label', {}, t('rec.mode'), ' ', f.mode),
      bufferField,
      h('label', {}, t('rec.profile'), ' ', f.profile),
      h('label', {}, t('rec.retention'), ' ', f.retentionDays),
      h('label', {}, t('rec.owner'), ' ', f.owner),
      h('label', {}, f.enabled, ' ', t('rec.enabled'))),
    h('div', { class: 'row' }, submit, cancel),
    h('p', { class: 'muted' }, t('rec.rules.help')),
    formResult);
  const showFields = () => {
    for (const el of [cameraField, tagField, nodeField]) el.hidden = el.dataset.type !== f.targetType.value;
    bufferField.hidden = f.mode.value !== 'buffer';
  };
  f.targetType.addEventListener('change', showFields);
  f.mode.addEventListener('change', showFields);
  showFields();

  function resetForm() {
    editing = null;
    formTitle.textContent = t('rec.rules.create');
    submit.textContent = t('rec.rules.createSubmit');
    cancel.hidden = true;
    f.name.value = '';
    f.targetType.value = 'camera';
    f.camera.set('');
    f.tag.value = '';
    f.mode.value = 'continuous';
    f.bufferMinutes.value = String(DEFAULT_BUFFER_MINUTES);
    f.profile.value = 'sub';
    f.retentionDays.value = String(DEFAULT_RETENTION_DAYS);
    f.owner.value = user.jurisdictionId ?? ownNodes[0]?.id ?? '';
    f.node.value = f.owner.value;
    f.enabled.checked = true;
    showFields();
  }

  function editRule(r) {
    editing = r;
    formTitle.textContent = t('rec.rules.editing', { name: r.name });
    submit.textContent = t('rec.rules.save');
    cancel.hidden = false;
    formResult.textContent = '';
    f.name.value = r.name;
    f.targetType.value = r.target.type;
    if (r.target.type === 'camera') f.camera.set(r.target.value);
    if (r.target.type === 'tag') f.tag.value = r.target.value;
    if (r.target.type === 'jurisdiction') f.node.value = r.target.value;
    f.mode.value = r.mode;
    f.bufferMinutes.value = String(r.bufferMinutes ?? DEFAULT_BUFFER_MINUTES);
    f.profile.value = r.profile;
    f.retentionDays.value = String(r.retentionDays);
    f.owner.value = r.jurisdictionId;
    f.enabled.checked = r.enabled;
    showFields();
    form.scrollIntoView({ block: 'nearest' });
    f.name.focus();
  }

  /** The rule the form describes, or a sentence saying what is missing. */
  function formRule() {
    const name = f.name.value.trim();
    if (!name) return { problem: t('rec.problem.name') };
    const type = f.targetType.value;
    const value = type === 'camera' ? f.camera.select.value : type === 'tag' ? f.tag.value.trim() : f.node.value;
    if (!value) return { problem: t(`rec.problem.target.${type}`) };
    const whole = (input, max) => { const n = Number(input.value); return Number.isInteger(n) && n >= 1 && n <= max ? n : null; };
    const retentionDays = whole(f.retentionDays, MAX_RETENTION_DAYS);
    if (retentionDays === null) return { problem: t('rec.problem.retention', { max: MAX_RETENTION_DAYS }) };
    const rule = { name, target: { type, value }, mode: f.mode.value, profile: f.profile.value, retentionDays, jurisdictionId: f.owner.value, enabled: f.enabled.checked };
    if (rule.mode === 'buffer') {
      const minutes = whole(f.bufferMinutes, MAX_BUFFER_MINUTES);
      if (minutes === null) return { problem: t('rec.problem.buffer', { max: MAX_BUFFER_MINUTES }) };
      rule.bufferMinutes = minutes;
    }
    if (!rule.jurisdictionId) delete rule.jurisdictionId;
    return { rule };
  }

  /** The fields of `next` that differ from the rule `r` (a PATCH sends only those). */
  function changes(r, next) {
    const patch = {};
    for (const k of ['name', 'mode', 'profile', 'retentionDays', 'jurisdictionId', 'enabled']) if (next[k] !== undefined && next[k] !== r[k]) patch[k] = next[k];
    if (next.target.type !== r.target.type || next.target.value !== r.target.value) patch.target = next.target;
    if (next.mode === 'buffer' && next.bufferMinutes !== r.bufferMinutes) patch.bufferMinutes = next.bufferMinutes;
    return patch;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formResult.className = 'result';
    formResult.textContent = '';
    const { rule, problem } = formRule();
    if (problem) { formResult.className = 'result error'; formResult.textContent = problem; return; }
    try {
      if (editing) {
        const patch = changes(editing, rule);
        if (Object.keys(patch).length) await api('PATCH', `/api/recording-rules/${encodeURIComponent(editing.id)}`, patch);
        formResult.textContent = t('rec.rules.saved', { name: rule.name });
      } else {
        const created = await api('POST', '/api/recording-rules', rule);
        formResult.textContent = t('rec.rules.created', { name: created.name });
      }
      formResult.className = 'result ok';
      resetForm();
      await loadRules();
    } catch (err) {
      formResult.className = 'result error';
      formResult.textContent = describeError(err, 'recordingRule');
    }
  });

  // ------------------------------------------------------------------ holds
  const holdRows = h('tbody', { id: 'hold-rows' });
  const holdCount = h('span', { class: 'muted', id: 'hold-count' });
  const fullDate = (iso) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });

  async function loadHolds() {
    try {
      const list = await api('GET', '/api/recording-holds');
      await nameCameras(list.map((x) => x.cameraId));
      if (!alive) return;
      holdCount.textContent = t('rec.holds.count', { count: list.length });
      holdRows.replaceChildren(...(list.length ? list.map(holdRow) : [h('tr', {}, h('td', { colspan: 4, class: 'muted', id: 'hold-none' }, t('rec.holds.none')))]));
    } catch (e) { notify(describeError(e)); }
  }

  function holdRow(x) {
    const result = h('span', { class: 'result hold-result' });
    const remove = h('button', { type: 'button', class: 'hold-delete' }, t('rec.holds.delete'));
    remove.addEventListener('click', async () => {
      if (!confirm(t('rec.holds.confirmDelete', { camera: cameraName(x.cameraId) }))) return;
      try {
        await api('DELETE', `/api/recording-holds/${encodeURIComponent(x.id)}`);
        notify(t('rec.holds.deleted', { camera: cameraName(x.cameraId) }), 'info');
        await loadHolds();
      } catch (e) { result.className = 'result hold-result error'; result.textContent = describeError(e, 'recordingHold'); }
    });
    return h('tr', { dataset: { holdId: x.id, cameraId: x.cameraId } },
      h('td', { class: 'hold-camera' }, cameraName(x.cameraId)),
      h('td', { class: 'hold-range' }, t('rec.holds.range', { from: fullDate(x.from), to: fullDate(x.to) })),
      h('td', { class: 'hold-reason' }, x.reason),
      h('td', { class: 'hold-actions' }, remove, ' ', result));
  }

  const hf = {
    camera: cameraPicker('hold-camera'),
    from: h('input', { id: 'hold-from', type: 'datetime-local', value: localValue(new Date(Date.now() - 3600_000)) }),
    to: h('input', { id: 'hold-to', type: 'datetime-local', value: localValue(new Date()) }),
    reason: h('input', { id: 'hold-reason', maxLength: MAX_HOLD_REASON, size: 32, autocomplete: 'off', placeholder: t('rec.holds.reasonPlaceholder') }),
  };
  const holdResult = h('p', { class: 'result', id: 'hold-result', role: 'status' });
  const holdForm = h('form', { id: 'hold-form', class: 'panel', noValidate: true },
    h('h3', {}, t('rec.holds.create')),
    h('div', { class: 'row' },
      h('label', {}, t('rec.holds.camera'), ' ', hf.camera.search, ' ', hf.camera.select),
      h('label', {}, t('rec.holds.from'), ' ', hf.from),
      h('label', {}, t('rec.holds.to'), ' ', hf.to),
      h('label', {}, t('rec.holds.reason'), ' ', hf.reason),
      h('button', { type: 'submit', id: 'hold-submit' }, t('rec.holds.createSubmit'))),
    h('p', { class: 'muted' }, t('rec.holds.help')),
    holdResult);
  holdForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    holdResult.className = 'result error';
    const cameraId = hf.camera.select.value;
    const from = hf.from.value ? new Date(hf.from.value) : null;
    const to = hf.to.value ? new Date(hf.to.value) : null;
    const reason = hf.reason.value.trim();
    if (!cameraId) { holdResult.textContent = t('rec.problem.target.camera'); return; }
    if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || !(to > from)) { holdResult.textContent = t('rec.problem.holdRange'); return; }
    if (reason.length < MIN_HOLD_REASON || reason.length > MAX_HOLD_REASON) { holdResult.textContent = t('rec.problem.holdReason', { min: MIN_HOLD_REASON, max: MAX_HOLD_REASON }); return; }
    holdResult.className = 'result';
    holdResult.textContent = '';
    try {
      await api('POST', '/api/recording-holds', { cameraId, from: from.toISOString(), to: to.toISOString(), reason });
      holdResult.className = 'result ok';
      holdResult.textContent = t('rec.holds.created', { camera: cameraName(cameraId) });
      hf.reason.value = '';
      await loadHolds();
    } catch (err) {
      holdResult.className = 'result error';
      holdResult.textContent = describeError(err, 'recordingHold');
    }
  });

  container.append(
    h('div', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('h3', {}, t('rec.rules.title')), ruleCount),
      h('table', { class: 'grid', id: 'rule-table' },
        h('thead', {}, h('tr', {}, ['name', 'target', 'mode', 'profile', 'retention', 'owner', 'state', 'actions'].map((c) => h('th', {}, t(`rec.rules.col.${c}`))))),
        ruleRows)),
    form,
    h('div', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('h3', {}, t('rec.holds.title')), holdCount),
      h('table', { class: 'grid', id: 'hold-table' },
        h('thead', {}, h('tr', {}, ['camera', 'range', 'reason', 'actions'].map((c) => h('th', {}, t(`rec.holds.col.${c}`))))),
        holdRows)),
    holdForm);
  void loadRules();
  void loadHolds();
  return () => d.dispose();
}
