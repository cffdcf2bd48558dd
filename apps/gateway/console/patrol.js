// Video patrol (视频巡逻, docs/methods.md "Patrol rounds" and "Alert levels"): the alert level of each node in scope
// (set by admins and operators for their home subtree), the routes of the user's scope with their schedule and
// next planned round (created and edited by admins and operators), running a round (each stop full-size for its
// dwell, the next stop's streams started hidden beforehand like a wall tour's next page, marks normal / abnormal
// with a note, an abnormal one raising an alarm unless unticked, skip, finish), and the round log (planned against actual start, late / incomplete / missed as the
// server classifies them, every stop's marks). The server decides who may do what; the screen hides what the
// user's role may not do and shows the server's refusal otherwise.
import { api, apiAll, describeError } from './api.js';
import { LEVELS, levelBadge } from './alert-banner.js';
import { formatDate, formatTime, t, tierName } from './i18n.js';
import { WallTile } from './tile.js';
import { Disposer, h } from './util.js';

/** Roles the API lets write routes and alert levels (apps/gateway/src/patrol controllers). */
const WRITERS = ['admin', 'operator'];
/** Roles that may keep a clip from pruning (POST /api/recording-holds). */
const HOLDERS = ['admin', 'operator'];
/** The API's dwell bounds (patrol.dto.ts). */
const DWELL_MIN = 3;
const DWELL_MAX = 3600;
/** The round log and the next planned times: this far back and ahead. */
const LOG_BACK_MS = 24 * 3600_000;
const LOG_AHEAD_MS = 24 * 3600_000;
/** An abnormal mark keeps this much footage either side of its time (a recording hold). */
const CLIP_HALF_MS = 30_000;
/** The most cameras of one stop shown at once. */
const MAX_STOP_TILES = 9;
let runStats = () => [];

/** Test hook: what the running round shows (stop index, the tiles' players). */
export function patrolStats() { return runStats(); }

const isoOfLocal = (value) => (value ? new Date(value).toISOString() : undefined);
const plannedText = (iso) => formatDate(iso, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function mountPatrol(container, { user, jurisdictions, notify }) {
  const d = new Disposer();
  window.__tiergate && (window.__tiergate.patrolStats = patrolStats);
  const byId = new Map(jurisdictions.map((j) => [j.id, j]));
  const jName = (id) => { const j = byId.get(id); return j ? `${j.name} (${tierName(j.tier)})` : '—'; };
  const childrenOf = (id) => jurisdictions.filter((j) => j.parentId === id);
  /** The nodes the user administers (home subtree; everything for a user without a home), as the API checks. */
  const administered = new Set();
  (function walk(ids) { for (const id of ids) { administered.add(id); walk(childrenOf(id).map((j) => j.id)); } })(
    user.jurisdictionId ? [user.jurisdictionId] : jurisdictions.map((j) => j.id));
  const writer = WRITERS.includes(user.role);
  const mayWrite = (jurisdictionId) => writer && administered.has(jurisdictionId);
  /** The node whose routes and log the screen shows: home, or the first root for a user without one. */
  const scopeNode = user.jurisdictionId ?? jurisdictions.find((j) => !j.parentId)?.id;
  let cameras = [];
  const cameraName = (id) => cameras.find((c) => c.id === id)?.name ?? id.slice(0, 8);
  let routes = [];
  let log = [];

  const levelsBox = h('section', { class: 'patrol-panel', id: 'patrol-levels' });
  const routesBox = h('section', { class: 'patrol-panel', id: 'patrol-routes' });
  const logBox = h('section', { class: 'patrol-panel', id: 'patrol-log' });
  const home = h('div', { class: 'patrol-home' }, levelsBox, routesBox, logBox);
  container.append(home);
  d.add(() => { runStats = () => []; });

  const fail = (e) => notify(describeError(e));

  // ---------------------------------------------------------------- alert levels
  /** The home node and one tier below it (the roots and their children for a user without a home). */
  function levelNodes() {
    const top = user.jurisdictionId ? [user.jurisdictionId] : jurisdictions.filter((j) => !j.parentId).map((j) => j.id);
    return [...new Set([...top, ...top.flatMap((id) => childrenOf(id).map((j) => j.id))])].filter((id) => byId.has(id));
  }

  async function loadLevels() {
    const ids = levelNodes();
    const answers = await Promise.all(ids.map((id) => api('GET', `/api/jurisdictions/${encodeURIComponent(id)}/alert-level`).catch(() => null)));
    const rows = ids.map((id, i) => levelRow(id, answers[i])).filter(Boolean);
    levelsBox.replaceChildren(h('h2', {}, t('patrol.levels.title')),
      h('table', { class: 'patrol-table' },
        h('thead', {}, h('tr', {}, ['patrol.levels.node', 'patrol.levels.effective', 'patrol.levels.reason', 'patrol.levels.own', mayWriteAny() ? 'patrol.levels.set' : null].filter(Boolean).map((k) => h('th', {}, t(k))))),
        h('tbody', {}, rows)));
  }
  const mayWriteAny = () => levelNodes().some(mayWrite);

  function levelRow(id, answer) {
    if (!answer) return null;
    const { effective, own } = answer;
    const inherited = effective.sourceJurisdictionId && effective.sourceJurisdictionId !== id;
    const cells = [
      h('td', {}, jName(id)),
      h('td', {}, levelBadge(effective.level, { class: `alert-level alert-level-${effective.level}`, dataset: { level: effective.level, node: id } }),
        inherited ? h('div', { class: 'muted' }, t('patrol.levels.from', { node: jName(effective.sourceJurisdictionId) })) : null),
      h('td', {}, effective.level > 1 ? effective.reason : '', effective.expiresAt ? h('div', { class: 'muted' }, t('alert.until', { time: formatDate(effective.expiresAt) })) : null),
      h('td', {}, own && !own.expired ? [levelBadge(own.level), h('div', { class: 'muted' }, t('patrol.levels.setBy', { user: own.setBy, time: formatDate(own.setAt) }))] : h('span', { class: 'muted' }, t('patrol.levels.none'))),
    ];
    if (mayWriteAny()) cells.push(h('td', {}, mayWrite(id) ? levelForm(id, own && !own.expired ? own.level : 1) : null));
    return h('tr', { dataset: { node: id } }, cells);
  }

  function levelForm(id, current) {
    const level = h('select', { name: 'level', 'aria-label': t('a11y.patrol.level') }, LEVELS.map((n) => h('option', { value: n, selected: n === current }, t('alert.levelBadge', { level: n, word: t(`alert.level.${n}`) }))));
    const reason = h('input', { name: 'reason', placeholder: t('patrol.levels.reasonPlaceholder'), maxLength: 500, size: 18, required: true });
    const expires = h('input', { name: 'expiresAt', type: 'datetime-local', title: t('patrol.levels.expires'), 'aria-label': t('patrol.levels.expires') });
    const form = h('form', { class: 'patrol-level-form', dataset: { node: id } }, level, reason, expires, h('button', { type: 'submit' }, t('patrol.levels.apply')));
    form.onsubmit = async (e) => {
      e.preventDefault();
      if (!reason.value.trim()) { reason.focus(); return notify(t('patrol.levels.reasonNeeded')); }
      try {
        await api('PUT', `/api/jurisdictions/${encodeURIComponent(id)}/alert-level`, { level: Number(level.value), reason: reason.value.trim(), ...(expires.value ? { expiresAt: isoOfLocal(expires.value) } : {}) });
        notify(t('patrol.levels.saved', { node: jName(id) }), 'info');
        await loadLevels();
      } catch (err) { fail(err); }
    };
    return form;
  }

  // ---------------------------------------------------------------- routes
  async function loadRoutesAndLog() {
    const now = Date.now();
    const [r, l] = await Promise.all([
      api('GET', '/api/patrol/routes'),
      scopeNode ? api('GET', `/api/patrol/rounds?jurisdictionId=${encodeURIComponent(scopeNode)}&from=${encodeURIComponent(new Date(now - LOG_BACK_MS).toISOString())}&to=${encodeURIComponent(new Date(now + LOG_AHEAD_MS).toISOString())}`) : [],
    ]);
    routes = r;
    log = l;
    renderRoutes();
    renderLog();
  }

  function scheduleText(s) {
    if (s.kind !== 'interval') return t('patrol.schedule.adHoc');
    return t('patrol.schedule.interval', { every: s.everyMinutes, from: s.from, to: s.to });
  }
  function stopText(s) {
    if (s.cameraId) return t('patrol.stop.camera', { name: cameraName(s.cameraId) });
    if (s.jurisdictionId) return t('patrol.stop.post', { name: jName(s.jurisdictionId) });
    return t('patrol.stop.tag', { tag: s.tag });
  }
  /** The planned time a round of `route` is for now: the not-started planned time nearest to now. */
  function nextSlot(route) {
    const now = Date.now();
    const open = log.filter((e) => e.routeId === route.id && e.planned && e.status === 'pending');
    return open.sort((a, b) => Math.abs(Date.parse(a.plannedAt) - now) - Math.abs(Date.parse(b.plannedAt) - now))[0] ?? null;
  }

  function renderRoutes() {
    const rows = routes.map((route) => {
      const slot = route.schedule.kind === 'interval' ? nextSlot(route) : null;
      const next = route.schedule.kind !== 'interval' ? t('patrol.routes.anyTime')
        : slot ? (Date.parse(slot.plannedAt) <= Date.now() ? t('patrol.routes.dueSince', { time: plannedText(slot.plannedAt) }) : plannedText(slot.plannedAt))
          : t('patrol.routes.noneSoon');
      return h('tr', { dataset: { route: route.id } },
        h('td', {}, route.name),
        h('td', {}, jName(route.jurisdictionId)),
        h('td', {}, h('ol', { class: 'patrol-stops' }, route.stops.map((s) => h('li', {}, `${stopText(s)} · ${t('patrol.stop.dwell', { seconds: s.dwellSeconds })}`)))),
        h('td', {}, scheduleText(route.schedule)),
        h('td', { class: 'patrol-next' }, next),
        h('td', {},
          h('button', { type: 'button', class: 'patrol-start', disabled: route.schedule.kind === 'interval' && !slot, onclick: () => void startRound(route, slot) }, t('patrol.routes.start')), ' ',
          mayWrite(route.jurisdictionId) ? [
            h('button', { type: 'button', class: 'patrol-edit', onclick: () => editRoute(route) }, t('patrol.routes.edit')), ' ',
            h('button', { type: 'button', class: 'patrol-delete', onclick: () => void deleteRoute(route) }, t('patrol.routes.delete')),
          ] : null));
    });
    // (replaceChildren would write a null as the text "null": the toolbar is left out with a spread instead)
    routesBox.replaceChildren(
      h('h2', {}, t('patrol.routes.title')),
      ...(writer ? [h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'patrol-new-route', onclick: () => editRoute(null) }, t('patrol.routes.new')))] : []),
      routes.length ? h('table', { class: 'patrol-table' },
        h('thead', {}, h('tr', {}, ['patrol.routes.name', 'patrol.routes.node', 'patrol.routes.stops', 'patrol.routes.schedule', 'patrol.routes.next', ''].map((k) => h('th', {}, k ? t(k) : '')))),
        h('tbody', {}, rows)) : h('p', { class: 'muted', id: 'patrol-no-routes' }, t('patrol.routes.empty')));
  }

  async function deleteRoute(route) {
    if (!confirm(t('patrol.routes.confirmDelete', { name: route.name }))) return;
    try { await api('DELETE', `/api/patrol/routes/${route.id}`); await loadRoutesAndLog(); } catch (e) { fail(e); }
  }

  /** The route form (a new route when `route` is null): name, node, ordered stops with their dwell, schedule. */
  function editRoute(route) {
    const owners = jurisdictions.filter((j) => mayWrite(j.id));
    const name = h('input', { name: 'name', value: route?.name ?? '', maxLength: 200, required: true, size: 30 });
    const owner = h('select', { name: 'jurisdictionId' }, owners.map((j) => h('option', { value: j.id, selected: j.id === (route?.jurisdictionId ?? user.jurisdictionId) }, jName(j.id))));
    const stopsList = h('ol', { class: 'patrol-stop-rows', id: 'patrol-stop-rows' });
    const posts = jurisdictions.filter((j) => j.tier === 'post' && administered.has(j.id));
    function stopRow(stop) {
      const kind = h('select', { name: 'kind' }, ['camera', 'post', 'tag'].map((k) => h('option', { value: k, selected: k === (stop?.jurisdictionId ? 'post' : stop?.tag ? 'tag' : 'camera') }, t(`patrol.stopKind.${k}`))));
      const camera = h('select', { name: 'cameraId' }, cameras.map((c) => h('option', { value: c.id, selected: c.id === stop?.cameraId }, c.name)));
      const post = h('select', { name: 'postId' }, posts.map((j) => h('option', { value: j.id, selected: j.id === stop?.jurisdictionId }, j.name)));
      const tag = h('input', { name: 'tag', value: stop?.tag ?? '', size: 10, placeholder: t('patrol.stopKind.tag') });
      const dwell = h('input', { name: 'dwellSeconds', type: 'number', min: DWELL_MIN, max: DWELL_MAX, value: stop?.dwellSeconds ?? 20, style: 'width:5em' });
      const sync = () => { camera.hidden = kind.value !== 'camera'; post.hidden = kind.value !== 'post'; tag.hidden = kind.value !== 'tag'; };
      kind.onchange = sync;
      sync();
      const li = h('li', { class: 'patrol-stop-row' }, kind, camera, post, tag, ' ', t('patrol.stop.dwellLabel'), ' ', dwell, ' ',
        h('button', { type: 'button', title: t('patrol.form.up'), onclick: () => li.previousElementSibling?.before(li) }, '↑'),
        h('button', { type: 'button', title: t('patrol.form.down'), onclick: () => li.nextElementSibling?.after(li) }, '↓'),
        h('button', { type: 'button', class: 'patrol-stop-remove', title: t('patrol.form.remove'), onclick: () => li.remove() }, '✕'));
      li.read = () => {
        const dwellSeconds = Number(dwell.value);
        if (kind.value === 'camera') return camera.value ? { cameraId: camera.value, dwellSeconds } : null;
        if (kind.value === 'post') return post.value ? { jurisdictionId: post.value, dwellSeconds } : null;
        return tag.value.trim() ? { tag: tag.value.trim(), dwellSeconds } : null;
      };
      return li;
    }
    for (const s of route?.stops ?? [null]) stopsList.append(stopRow(s));
    const sched = route?.schedule ?? { kind: 'interval', everyMinutes: 60, from: '08:00', to: '20:00' };
    const kind = h('select', { name: 'scheduleKind' }, ['interval', 'ad-hoc'].map((k) => h('option', { value: k, selected: k === sched.kind }, t(`patrol.scheduleKind.${k}`))));
    const every = h('input', { name: 'everyMinutes', type: 'number', min: 5, max: 1440, value: sched.everyMinutes ?? 60, style: 'width:5em' });
    const from = h('input', { name: 'from', type: 'time', value: sched.from ?? '08:00' });
    const to = h('input', { name: 'to', type: 'time', value: sched.to ?? '20:00' });
    const intervalBox = h('span', {}, ` ${t('patrol.form.every')} `, every, ` ${t('patrol.form.minutesFrom')} `, from, ` ${t('patrol.form.to')} `, to);
    kind.onchange = () => { intervalBox.hidden = kind.value !== 'interval'; };
    kind.onchange();
    const form = h('form', { class: 'patrol-route-form', id: 'patrol-route-form' },
      h('h3', {}, route ? t('patrol.form.editTitle', { name: route.name }) : t('patrol.form.newTitle')),
      h('label', {}, t('patrol.routes.name'), ' ', name), ' ', h('label', {}, t('patrol.routes.node'), ' ', owner),
      h('h4', {}, t('patrol.routes.stops')), stopsList,
      h('button', { type: 'button', id: 'patrol-add-stop', onclick: () => stopsList.append(stopRow(null)) }, t('patrol.form.addStop')),
      h('h4', {}, t('patrol.routes.schedule')), h('div', {}, kind, intervalBox),
      h('div', { class: 'toolbar' }, h('button', { type: 'submit', id: 'patrol-save-route' }, t('patrol.form.save')), h('button', { type: 'button', onclick: () => form.remove() }, t('patrol.form.cancel'))));
    form.onsubmit = async (e) => {
      e.preventDefault();
      const stops = [...stopsList.children].map((li) => li.read());
      if (!name.value.trim()) return notify(t('patrol.form.nameNeeded'));
      if (!stops.length || stops.some((s) => !s)) return notify(t('patrol.form.stopNeeded'));
      if (stops.some((s) => !(s.dwellSeconds >= DWELL_MIN && s.dwellSeconds <= DWELL_MAX))) return notify(t('patrol.form.dwellRange', { min: DWELL_MIN, max: DWELL_MAX }));
      const schedule = kind.value === 'interval' ? { kind: 'interval', everyMinutes: Number(every.value), from: from.value, to: to.value } : { kind: 'ad-hoc' };
      const body = { name: name.value.trim(), jurisdictionId: owner.value, stops, schedule };
      try {
        if (route) await api('PATCH', `/api/patrol/routes/${route.id}`, body);
        else await api('POST', '/api/patrol/routes', body);
        form.remove();
        notify(t('patrol.form.saved', { name: body.name }), 'info');
        await loadRoutesAndLog();
      } catch (err) { fail(err); }
    };
    routesBox.querySelector('#patrol-route-form')?.remove();
    routesBox.append(form);
    name.focus();
  }

  // ---------------------------------------------------------------- the round log
  const onlyMine = h('input', { type: 'checkbox', id: 'patrol-log-mine', onchange: () => renderLog() });
  function outcomeFlags(e) {
    const flags = [];
    if (e.status === 'missed') flags.push(['missed', t('patrol.log.missed')]);
    if (e.status === 'pending') flags.push(['pending', t('patrol.log.pending')]);
    if (e.status === 'in-progress') flags.push(['in-progress', t('patrol.log.inProgress')]);
    if (e.late) flags.push(['late', t('patrol.log.late')]);
    if (e.onTime) flags.push(['on-time', t('patrol.log.onTime')]);
    if (e.completed === true) flags.push(['completed', t('patrol.log.completed')]);
    if (e.completed === false) flags.push(['incomplete', t('patrol.log.incomplete')]);
    if (!e.planned) flags.push(['ad-hoc', t('patrol.log.adHoc')]);
    return flags.map(([k, text]) => h('span', { class: `chip patrol-flag patrol-flag-${k}`, dataset: { flag: k } }, text));
  }
  function marksOf(round) {
    return h('ol', { class: 'patrol-log-stops' }, round.stops.map((s) => {
      const skipped = round.skippedStops.includes(s.index);
      return h('li', { dataset: { stop: s.index, state: skipped ? 'skipped' : s.marked ? 'marked' : 'open' } },
        stopText(s), ': ',
        skipped ? h('span', { class: 'patrol-mark patrol-mark-skipped' }, t('patrol.mark.skipped'))
          : s.marks.length ? s.marks.map((m) => h('span', { class: `patrol-mark patrol-mark-${m.result}`, dataset: { result: m.result } },
            `${t(`patrol.mark.${m.result}`)}${m.note ? ` “${m.note}”` : ''} (${cameraName(m.cameraId)}, ${m.markedBy} ${formatTime(m.markedAt)}) `))
            : h('span', { class: 'muted' }, t('patrol.mark.none')));
    }));
  }
  function renderLog() {
    const now = Date.now();
    const past = log.filter((e) => e.round || Date.parse(e.plannedAt) <= now)
      .filter((e) => !onlyMine.checked || e.round?.startedBy === user.username)
      .sort((a, b) => (b.round?.startedAt ?? b.plannedAt).localeCompare(a.round?.startedAt ?? a.plannedAt)).slice(0, 100);
    logBox.replaceChildren(
      h('h2', {}, t('patrol.log.title')),
      h('div', { class: 'toolbar' }, h('label', {}, onlyMine, ` ${t('patrol.log.onlyMine')}`), h('span', { class: 'muted' }, jName(scopeNode)),
        h('button', { type: 'button', onclick: () => void loadRoutesAndLog().catch(fail) }, t('patrol.log.refresh'))),
      past.length ? h('table', { class: 'patrol-table', id: 'patrol-log-table' },
        h('thead', {}, h('tr', {}, ['patrol.log.route', 'patrol.log.planned', 'patrol.log.started', 'patrol.log.finished', 'patrol.log.by', 'patrol.log.outcome', 'patrol.log.stops'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, past.map((e) => h('tr', { dataset: { round: e.round?.id ?? '', route: e.routeId, status: e.status } },
          h('td', {}, e.routeName),
          h('td', {}, plannedText(e.plannedAt)),
          h('td', {}, e.round ? formatDate(e.round.startedAt, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }) : '—'),
          h('td', {}, e.round?.finishedAt ? formatDate(e.round.finishedAt, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }) : '—'),
          h('td', {}, e.round?.startedBy ?? ''),
          h('td', {}, outcomeFlags(e)),
          h('td', {}, e.round ? marksOf(e.round) : null))))) : h('p', { class: 'muted' }, t('patrol.log.empty')));
  }

  // ---------------------------------------------------------------- running a round
  async function startRound(route, slot) {
    try {
      const round = await api('POST', '/api/patrol/rounds', { routeId: route.id, ...(slot ? { plannedAt: slot.plannedAt } : {}) });
      let dwellFactor = 1;
      try { dwellFactor = (await api('GET', `/api/jurisdictions/${encodeURIComponent(route.jurisdictionId)}/alert-effects`)).effects.dwellFactor || 1; } catch { /* level 1 */ }
      runRound(route, round, dwellFactor);
    } catch (e) { fail(e); }
  }

  function runRound(route, round, dwellFactor) {
    const r = new Disposer();
    d.add(() => r.dispose());
    home.hidden = true;
    const tiles = [];
    const stops = round.stops;
    /** Per stop: 'open' | 'normal' | 'abnormal' | 'skipped' (as this screen marked it). */
    const states = stops.map(() => 'open');
    const snapshots = new Map();
    let index = -1;
    let endsAt = 0;
    let busy = false;
    let selected = 0;
    const dwellOf = (i) => Math.max(DWELL_MIN, Math.round(stops[i].dwellSeconds * dwellFactor)) * 1000;
    const camsOf = (i) => (stops[i]?.cameraIds ?? []).slice(0, MAX_STOP_TILES).map((id) => cameras.find((c) => c.id === id) ?? { id, name: cameraName(id), status: 'unknown' });

    const title = h('h2', {}, route.name);
    const meta = h('div', { class: 'muted', id: 'patrol-run-meta' });
    const stopTitle = h('div', { class: 'patrol-run-stop', id: 'patrol-run-stop' });
    const countdown = h('span', { class: 'patrol-countdown', id: 'patrol-countdown' });
    const grid = h('div', { class: 'patrol-run-grid', id: 'patrol-run-grid' });
    const note = h('input', { id: 'patrol-note', placeholder: t('patrol.run.notePlaceholder'), maxLength: 2000, size: 40 });
    const normalBtn = h('button', { type: 'button', id: 'patrol-normal', class: 'patrol-normal', onclick: () => void mark('normal') }, t('patrol.run.normal'));
    const abnormalBtn = h('button', { type: 'button', id: 'patrol-abnormal', class: 'patrol-abnormal', onclick: () => void mark('abnormal') }, t('patrol.run.abnormal'));
    // An abnormal mark also raises a `patrol` alarm (docs/alarms.md) unless unticked; on again at every stop.
    const alarmBox = h('input', { type: 'checkbox', id: 'patrol-raise-alarm', checked: true });
    const alarmLabel = h('label', { class: 'patrol-raise-alarm', title: t('patrol.run.raiseAlarmHint') }, alarmBox, ` ${t('patrol.run.raiseAlarm')}`);
    const skipBtn = h('button', { type: 'button', id: 'patrol-skip', onclick: () => skip() }, t('patrol.run.skip'));
    const finishBtn = h('button', { type: 'button', id: 'patrol-finish', onclick: () => void finish() }, t('patrol.run.finish'));
    const list = h('ol', { class: 'patrol-run-list', id: 'patrol-run-list' });
    const view = h('div', { class: 'patrol-run', id: 'patrol-run', dataset: { round: round.id } },
      h('div', { class: 'patrol-run-head' }, title, meta),
      h('div', { class: 'toolbar' }, stopTitle, countdown),
      grid,
      h('div', { class: 'toolbar patrol-run-actions' }, normalBtn, abnormalBtn, alarmLabel, note, skipBtn, finishBtn, h('span', { class: 'muted' }, t('patrol.run.keys'))),
      list);
    container.append(view);
    meta.textContent = t('patrol.run.meta', { planned: plannedText(round.plannedAt), started: formatDate(round.startedAt, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }), by: round.startedBy })
      + (dwellFactor !== 1 ? ` · ${t('patrol.run.dwellShortened', { percent: Math.round(dwellFactor * 100) })}` : '');

    runStats = () => tiles.map((tile) => ({ stopIndex: index, tileCamera: tile.camera?.id ?? null, staged: tile.staged?.camera.id ?? null, ...(tile.view ? tile.view.player.stats() : {}) }));
    r.add(() => { for (const tile of tiles) tile.destroy(); tiles.length = 0; });

    function renderList() {
      list.replaceChildren(...stops.map((s, i) => h('li', { class: i === index ? 'current' : '', dataset: { stop: i, state: states[i] } },
        `${stopText(s)} `, h('span', { class: `patrol-mark patrol-mark-${states[i]}` }, t(`patrol.mark.${states[i] === 'open' ? (i === index ? 'current' : 'open') : states[i]}`)),
        snapshots.get(i) ? h('img', { class: 'patrol-snapshot', src: snapshots.get(i), alt: t('patrol.run.snapshot') }) : null)));
    }

    /** Shows stop `i` in the tiles (a staged camera takes its tile at once) and stages stop i+1's cameras under them. */
    function show(i) {
      index = i;
      selected = 0;
      note.value = '';
      alarmBox.checked = true;
      if (i >= stops.length) return done();
      const cams = camsOf(i);
      const next = camsOf(i + 1);
      while (tiles.length < Math.max(cams.length, next.length, 1)) tiles.push(new WallTile());
      tiles.forEach((tile, k) => {
        tile.show(cams[k] ?? null);
        tile.el.classList.toggle('patrol-spare', k >= cams.length);
        tile.el.classList.toggle('patrol-selected', cams.length > 1 && k === selected);
        tile.el.onclick = () => { if (k < cams.length) { selected = k; tiles.forEach((x, j) => x.el.classList.toggle('patrol-selected', j === k)); } };
      });
      // The next stop's streams start now, hidden under this stop's picture (a mark moves on before the dwell ends).
      tiles.forEach((tile, k) => { if (next[k] && !cams.some((c) => c.id === next[k].id)) tile.stage(next[k]); });
      const cols = Math.ceil(Math.sqrt(Math.max(1, cams.length)));
      grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
      grid.replaceChildren(...tiles.map((tile) => tile.el));
      grid.dataset.stop = String(i);
      stopTitle.textContent = t('patrol.run.stopOf', { n: i + 1, count: stops.length, what: stopText(stops[i]) }) + (cams.length ? '' : ` · ${t('patrol.run.noCameras')}`);
      normalBtn.disabled = abnormalBtn.disabled = alarmBox.disabled = cams.length === 0;
      endsAt = Date.now() + dwellOf(i);
      tick();
      renderList();
    }
    function tick() {
      if (index >= stops.length) return;
      const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      countdown.textContent = t('patrol.run.left', { seconds: left });
      countdown.dataset.seconds = String(left);
      // the dwell is over without a mark: the stop stays unmarked (skipped at the finish) and the round moves on
      if (left === 0 && !busy) show(index + 1);
    }
    r.interval(tick, 250);

    async function mark(result) {
      if (busy || index >= stops.length) return;
      const cams = camsOf(index);
      if (!cams.length) return;
      busy = true;
      const i = index;
      const text = note.value.trim();
      const targets = result === 'normal' ? cams : [cams[selected] ?? cams[0]];
      const raiseAlarm = result === 'abnormal' && alarmBox.checked;
      try {
        for (const cam of targets) await api('POST', `/api/patrol/rounds/${round.id}/marks`, { stopIndex: i, cameraId: cam.id, result, ...(text ? { note: text } : {}), ...(raiseAlarm ? { raiseAlarm } : {}) });
        states[i] = result;
        if (result === 'abnormal') void evidence(i, targets[0].id);
        busy = false;
        show(i + 1);
      } catch (e) { busy = false; fail(e); }
    }

    /** An abnormal mark's evidence: the camera's snapshot now (shown here), and its footage around now kept from pruning. */
    async function evidence(i, cameraId) {
      const at = Date.now();
      try {
        const res = await api('GET', `/api/cameras/${cameraId}/snapshot`, undefined, { raw: true });
        const url = URL.createObjectURL(await res.blob());
        r.add(() => URL.revokeObjectURL(url));
        snapshots.set(i, url);
        renderList();
      } catch { /* no snapshot URI or the camera does not answer: the mark keeps its reference */ }
      if (!HOLDERS.includes(user.role)) return;
      await api('POST', '/api/recording-holds', {
        cameraId, from: new Date(at - CLIP_HALF_MS).toISOString(), to: new Date(at + CLIP_HALF_MS).toISOString(),
        reason: t('patrol.run.holdReason', { route: route.name, n: i + 1, round: round.id.slice(0, 8) }),
      }).catch(() => undefined);
    }

    function skip() {
      if (busy || index >= stops.length) return;
      states[index] = 'skipped';
      show(index + 1);
    }

    function done() {
      for (const tile of tiles) tile.show(null);
      grid.replaceChildren(h('p', { class: 'patrol-run-done' }, t('patrol.run.allShown')));
      stopTitle.textContent = '';
      countdown.textContent = '';
      normalBtn.disabled = abnormalBtn.disabled = alarmBox.disabled = skipBtn.disabled = true;
      renderList();
      finishBtn.focus();
    }

    async function finish() {
      if (busy) return;
      busy = true;
      try {
        const finished = await api('POST', `/api/patrol/rounds/${round.id}/finish`);
        notify(t('patrol.run.finished', { marked: finished.markedStops, count: finished.stops.length, skipped: finished.skippedStops.length }), 'info');
        r.dispose();
        view.remove();
        home.hidden = false;
        await loadRoutesAndLog();
      } catch (e) { busy = false; fail(e); }
    }

    r.listen(document, 'keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target?.tagName ?? '')) return;
      const k = e.key.toLowerCase();
      if (k === 'n') { e.preventDefault(); void mark('normal'); }
      else if (k === 'a') { e.preventDefault(); void mark('abnormal'); }
      else if (k === 's') { e.preventDefault(); skip(); }
    });
    show(0);
  }

  void (async () => {
    try {
      cameras = await apiAll('/api/cameras').catch(() => []);
      await Promise.all([loadLevels(), loadRoutesAndLog()]);
    } catch (e) { fail(e); }
  })();
  return () => d.dispose();
}
