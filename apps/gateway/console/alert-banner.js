// The alert-level banner above every screen (docs/methods.md "Alert levels"): the level in force where the user
// works (its home node: the highest unexpired level of the node and its ancestors, GET /api/jurisdictions/:id/alert-level),
// shown while it is 2 (heightened) or 3 (high) with its reason, who set it where, and its expiry. A level set
// anywhere reaches the page over the push channel (alert-level, live-events.js) and the level is read again, so a
// station's raised level shows on its walls and its posts' PCs within the bus's delay; a level that expires goes at
// its expiry without any message. A post PC where the level's effects say so (alertPostPcs) gets the loud form.
import { api } from './api.js';
import { formatDate, t, tierName } from './i18n.js';
import { subscribeEvents } from './live-events.js';
import { h } from './util.js';

export const LEVELS = [1, 2, 3];
/** Colours of the three levels (the same on the patrol screen). */
export const LEVEL_COLOURS = { 1: '#2e9d46', 2: '#d68910', 3: '#c0392b' };

/** A level as a coloured badge with its number and word ("3 · high" / "3级 · 高"). */
export function levelBadge(level, attrs = {}) {
  const n = LEVELS.includes(level) ? level : 1;
  return h('span', { class: `alert-level alert-level-${n}`, dataset: { level: n }, ...attrs }, t('alert.levelBadge', { level: n, word: t(`alert.level.${n}`) }));
}

/** The nodes whose level in force the banner shows: the user's home, or the tree's roots for a user without one. */
function watchedNodes(user, jurisdictions) {
  if (user.jurisdictionId) return [user.jurisdictionId];
  return jurisdictions.filter((j) => !j.parentId).map((j) => j.id);
}

export function mountAlertBanner({ user, jurisdictions }) {
  const el = h('div', { id: 'alert-banner', role: 'status', hidden: true });
  document.getElementById('banner').before(el);
  const nameOf = (id) => { const j = jurisdictions.find((x) => x.id === id); return j ? `${j.name} (${tierName(j.tier)})` : t('alert.above'); };
  const nodes = watchedNodes(user, jurisdictions);
  const isPost = jurisdictions.find((j) => j.id === user.jurisdictionId)?.tier === 'post';
  let seq = 0;
  let expiryTimer = null;
  let stopped = false;

  async function reload() {
    const mine = ++seq;
    const answers = await Promise.all(nodes.map((id) => Promise.all([
      api('GET', `/api/jurisdictions/${encodeURIComponent(id)}/alert-level`),
      api('GET', `/api/jurisdictions/${encodeURIComponent(id)}/alert-effects`),
    ]).catch(() => null)));
    if (mine !== seq || stopped) return;
    // the highest level in force among the watched nodes
    const best = answers.filter(Boolean).sort((a, b) => b[0].effective.level - a[0].effective.level)[0];
    clearTimeout(expiryTimer);
    const level = best?.[0].effective.level ?? 1;
    if (level < 2) { el.hidden = true; el.replaceChildren(); delete el.dataset.level; return; }
    const [{ effective }, { effects }] = best;
    const loud = isPost && effects.alertPostPcs;
    el.className = `alert-banner alert-banner-${level}${loud ? ' alert-banner-loud' : ''}`;
    el.setAttribute('role', loud ? 'alert' : 'status');
    el.dataset.level = String(level);
    el.dataset.source = effective.sourceJurisdictionId ?? '';
    el.replaceChildren(...[
      levelBadge(level), ' ',
      h('strong', {}, t('alert.bannerTitle', { word: t(`alert.level.${level}`) })), ' ',
      h('span', { class: 'alert-banner-reason' }, effective.reason ?? ''), ' ',
      h('span', { class: 'muted' }, t('alert.bannerSource', { node: nameOf(effective.sourceJurisdictionId) })),
      effective.expiresAt ? h('span', { class: 'muted' }, ` · ${t('alert.until', { time: formatDate(effective.expiresAt) })}`) : null,
    ].filter(Boolean));
    el.hidden = false;
    if (effective.expiresAt) {
      // an expiry needs no message: read again when it comes (a long one is re-armed by later reloads)
      const left = Date.parse(effective.expiresAt) - Date.now();
      if (left < 2 ** 31 - 1) expiryTimer = setTimeout(() => void reload(), Math.max(0, left) + 500);
    }
  }

  const unsubscribe = subscribeEvents(({ type }) => {
    if (type === 'alert-level' || type === 'ready') void reload();
  });
  void reload();
  return () => {
    stopped = true;
    clearTimeout(expiryTimer);
    unsubscribe();
    el.remove();
  };
}
