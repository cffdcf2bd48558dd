// Console shell: login, header, hash routing between screens, test hook.
import { api, currentSession, describeError, onSessionChanged, onSessionExpired, setSession } from './api.js';
import { mountLogin } from './login.js';
import { mountWall, wallStats } from './wall.js';
import { mountGarages } from './garages.js';
import { mountOperators } from './operators.js';
import { mountMap } from './map.js';
import { mountHotspots } from './hotspots.js';
import { closeOverlay } from './overlay.js';
import { activePlayers } from './player.js';
import { h } from './util.js';

const SCREENS = [
  { route: 'wall', title: 'Monitoring wall', mount: mountWall },
  { route: 'garages', title: 'Garages', mount: mountGarages },
  { route: 'operators', title: 'Cameras', mount: mountOperators, roles: ['admin', 'operator'] },
  { route: 'map', title: 'Map', mount: mountMap },
  { route: 'hotspots', title: 'Hotspots', mount: mountHotspots, roles: ['admin', 'analyst'] },
];

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let unmount = () => undefined;
let ctx = null;

window.__tiergate = {
  wallStats,
  activePlayers: () => activePlayers.size,
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
  document.getElementById('user-role').textContent = user.role;
  document.getElementById('user-jurisdiction').textContent = own ? `${own.name} (${own.tier})` : user.jurisdictionId ? 'jurisdiction' : 'All jurisdictions';
  const nav = document.getElementById('nav');
  nav.replaceChildren(...SCREENS.filter((s) => allowed(s, user)).map((s) => h('a', { href: `#/${s.route}`, dataset: { route: s.route } }, s.title)));
  document.getElementById('header').hidden = false;
}

function showScreen() {
  unmount();
  closeOverlay();
  notify('');
  const { route, params } = parseRoute();
  const screen = SCREENS.find((s) => s.route === route && allowed(s, ctx.user)) ?? SCREENS[0];
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.route === screen.route);
  const container = h('section', { class: `screen screen-${screen.route}`, id: `screen-${screen.route}` });
  main.replaceChildren(container);
  try {
    unmount = screen.mount(container, { ...ctx, params }) ?? (() => undefined);
  } catch (e) {
    notify(describeError(e));
    unmount = () => undefined;
  }
}

function logout(message) {
  unmount();
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
  window.removeEventListener('hashchange', showScreen);
  window.addEventListener('hashchange', showScreen);
  showScreen();
}

// The button ends the session on the server too (POST /api/auth/logout revokes this user's tokens), then here.
document.getElementById('logout').addEventListener('click', () => {
  if (currentSession()) void api('POST', '/api/auth/logout').catch(() => undefined);
  logout();
});
onSessionExpired(() => logout('Your session has expired: please log in again.'));
// Another tab of this origin logged in, out, or as someone else: follow it (one login for a wall's monitors).
onSessionChanged((session) => { if (session) { unmount(); unmount = () => undefined; void start(); } else logout(); });
void start();
