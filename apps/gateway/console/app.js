// Console shell: login, header, hash routing between screens, test hook.
import { api, currentSession, describeError, onSessionChanged, onSessionExpired, setSession } from './api.js';
import { mountLogin } from './login.js';
import { mountWall, wallStats } from './wall.js';
import { mountGarages } from './garages.js';
import { mountOperators } from './operators.js';
import { mountMap } from './map.js';
import { mountHotspots } from './hotspots.js';
import { mountAdmin } from './admin.js';
import { mountRates } from './rates.js';
import { mountPatrol } from './patrol.js';
import { mountRecordingRules } from './recording-rules.js';
import { isKioskRoute, mountKiosk } from './kiosk.js';
import { mountAlertBanner } from './alert-banner.js';
import { alarmStats, mountAlarms } from './alarms.js';
import { closeOverlay } from './overlay.js';
import { activePlayers } from './player.js';
import { applyToDocument, bindLanguageSelect, formatDate, formatTime, roleName, t, tierName } from './i18n.js';
import { h } from './util.js';

const SCREENS = [
  { route: 'wall', titleKey: 'screen.wall', mount: mountWall },
  { route: 'garages', titleKey: 'screen.garages', mount: mountGarages },
  { route: 'operators', titleKey: 'screen.operators', mount: mountOperators, roles: ['admin', 'operator'] },
  { route: 'map', titleKey: 'screen.map', mount: mountMap },
  { route: 'hotspots', titleKey: 'screen.hotspots', mount: mountHotspots, roles: ['admin', 'analyst'] },
  // GET /api/rates and /api/reports/period are for admin and analyst (RatesController's @Roles).
  { route: 'rates', titleKey: 'screen.rates', mount: mountRates, roles: ['admin', 'analyst'] },
  { route: 'admin', titleKey: 'screen.admin', mount: mountAdmin, roles: ['admin'] },
  // video patrol: every role runs rounds; the screen offers route and alert-level writes to admins and operators only
  { route: 'patrol', titleKey: 'screen.patrol', mount: mountPatrol },
  // recording rules and investigation holds: written by admins and operators (RecordingRulesController's @Roles)
  { route: 'recording', titleKey: 'screen.recording', mount: mountRecordingRules, roles: ['admin', 'operator'] },
];

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let unmount = () => undefined;
let ctx = null;
/** The alert-level banner above every screen (alert-banner.js), while logged in. */
let unmountAlertBanner = () => undefined;
/** The alarm panel (alarms.js), while logged in. */
let unmountAlarms = () => undefined;

// The page's language first (lang, title, static labels, the switch), before any screen is drawn.
applyToDocument();
bindLanguageSelect(document.getElementById('lang-switch'));

/** Today's date, weekday and time in the header (a wall screen shows them all day). */
function tickClock() {
  const now = new Date();
  document.getElementById('header-clock').textContent = `${formatDate(now, { weekday: 'long', month: 'long', day: 'numeric' })} ${formatTime(now)}`;
}
tickClock();
setInterval(tickClock, 15_000);

window.__tiergate = {
  wallStats,
  activePlayers: () => activePlayers.size,
  alarms: alarmStats,
};

/** Shows an error (or info) line above the screen until dismissed or replaced. */
export function notify(text, kind = 'error') {
  banner.textContent = text;
  banner.className = kind;
  banner.hidden = !text;
}

function parseRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [route, qs] = raw.split('?');
  return { route: route || 'wall', params: new URLSearchParams(qs ?? '') };
}

function allowed(screen, user) {
  return !screen.roles || screen.roles.includes(user.role);
}

function renderHeader(user, jurisdictions) {
  const own = jurisdictions.find((j) => j.id === user.jurisdictionId);
  document.getElementById('user-name').textContent = user.username;
  document.getElementById('user-role').textContent = roleName(user.role);
  document.getElementById('user-jurisdiction').textContent = own ? `${own.name} (${tierName(own.tier)})` : user.jurisdictionId ? t('header.jurisdiction') : t('header.allJurisdictions');
  const nav = document.getElementById('nav');
  nav.replaceChildren(...SCREENS.filter((s) => allowed(s, user)).map((s) => h('a', { href: `#/${s.route}`, dataset: { route: s.route } }, t(s.titleKey))));
  document.getElementById('header').hidden = false;
}

function showScreen() {
  unmount();
  closeOverlay();
  notify('');
  const { route, params } = parseRoute();
  const known = SCREENS.find((s) => s.route === route);
  if (known && !allowed(known, ctx.user)) return showRefused(known);
  const screen = known ?? SCREENS[0];
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.route === screen.route);
  const container = h('section', { class: `screen screen-${screen.route}`, id: `screen-${screen.route}`, 'aria-labelledby': 'screen-title' });
  // One level-1 heading per page, the screen's name, for screen readers (the menu shows it; docs/accessibility.md).
  main.replaceChildren(h('h1', { id: 'screen-title', class: 'visually-hidden' }, t(screen.titleKey)), container);
  try {
    unmount = screen.mount(container, { ...ctx, params }) ?? (() => undefined);
  } catch (e) {
    notify(describeError(e));
    unmount = () => undefined;
  }
}

/** A route the user's role may not open (typed or from a link): said so, instead of another screen. */
function showRefused(screen) {
  for (const a of document.querySelectorAll('#nav a')) a.classList.remove('active');
  unmount = () => undefined;
  main.replaceChildren(h('h1', { id: 'screen-title', class: 'visually-hidden' }, t(screen.titleKey)), h('section', { class: 'screen screen-refused', id: 'screen-refused' },
    h('p', { id: 'route-refused', role: 'alert' }, t('route.refused', { screen: t(screen.titleKey), role: roleName(ctx.user.role) })),
    h('p', {}, h('a', { href: '#/wall' }, t('route.toWall')))));
}

function logout(message) {
  unmount();
  unmountAlertBanner();
  unmountAlertBanner = () => undefined;
  unmountAlarms();
  unmountAlarms = () => undefined;
  unmount = () => undefined;
  closeOverlay();
  setSession(null);
  ctx = null;
  window.removeEventListener('hashchange', showScreen);
  document.getElementById('header').hidden = true;
  notify('');
  unmount = mountLogin(main, { onLoggedIn: start, message });
}

async function start() {
  const session = currentSession();
  if (!session) return logout();
  try {
    const [jurisdictions, config] = await Promise.all([
      api('GET', '/api/jurisdictions').catch((e) => { notify(describeError(e)); return []; }),
      api('GET', '/api/console/config').catch(() => ({ tileUrl: null })),
    ]);
    // A refused token (a user disabled or logged out elsewhere) has shown the login form meanwhile: stay there.
    if (!currentSession()) return;
    ctx = {
      user: session.user,
      jurisdictions: Array.isArray(jurisdictions) ? jurisdictions : [],
      config,
      notify,
      navigate: (hash) => { location.hash = hash; },
    };
  } catch (e) {
    return logout(describeError(e));
  }
  renderHeader(ctx.user, ctx.jurisdictions);
  unmountAlertBanner();
  unmountAlertBanner = mountAlertBanner(ctx);
  unmountAlarms();
  unmountAlarms = mountAlarms(ctx);
  window.removeEventListener('hashchange', showScreen);
  window.addEventListener('hashchange', showScreen);
  showScreen();
}

// The button ends the session on the server too (POST /api/auth/logout revokes this user's tokens), then here.
document.getElementById('logout').addEventListener('click', () => {
  if (currentSession()) void api('POST', '/api/auth/logout').catch(() => undefined);
  logout();
});
// A wall device (#/kiosk, kiosk.js) never shows the login page: it renews its own session from its enrolled secret.
const kiosk = isKioskRoute(location.hash);
onSessionExpired(() => { if (!kiosk) logout(t('session.expired')); });
// Another tab of this origin logged in, out, or as someone else: follow it (one login for a wall's monitors).
onSessionChanged((session) => { if (kiosk) return; if (session) { unmount(); unmount = () => undefined; void start(); } else logout(); });
if (kiosk) mountKiosk(main); else void start();
