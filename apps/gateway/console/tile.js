// One cell of the wall. A new camera never blanks it: the old picture stays (frozen) on top while the new
// stream connects underneath, and goes once the new one has presented its first frame. A camera may also be
// staged a few seconds early (a tour's next page): it plays hidden under the current picture and takes the cell
// at once when the page turns.
// For the keyboard (wall-keys.js) a tile is a named group: its accessible name says its place on the page, the camera,
// its post and status ("Tile 3 of 4: 北门岗亭, 和平里警务室, online"), kept current as the camera changes; whether it is
// the wall's one tab stop (a roving tabindex) is set from outside and kept on the buttons it draws.
import { statusName, t } from './i18n.js';
import { openLive, openReplay } from './overlay.js';
import { createLiveView } from './player.js';
import { h, statusBadge } from './util.js';

export class WallTile {
  constructor() {
    this.el = h('div', { class: 'tile tile-empty', role: 'group' });
    this.camera = null;
    /** Place on the page (0-based) and the page's tile count, for the accessible name; null: not placed (a kiosk). */
    this.position = null;
    /** Whether Tab stops on this tile (and its buttons); null: not keyboard-managed (the tile's elements as drawn). */
    this.tabStop = null;
    /** The view shown (on top). */
    this.current = null;
    /** A view of `this.camera` still connecting, under `current` until its first frame. */
    this.incoming = null;
    /** A view prepared for the next page: {camera, view, ready}. */
    this.staged = null;
    /** When the cell was given its camera, and how long until it showed that camera's picture (ms; null until then). */
    this.shownAt = 0;
    this.displayMs = null;
  }

  /** The view whose state the wall reports (the camera the cell is for). */
  get view() { return this.incoming ?? this.current; }

  /** Shows `camera` (or nothing). A camera already shown stays as it is; a staged one takes over at once. */
  show(camera) {
    if (camera && this.camera?.id === camera.id) return;
    this.camera = camera ?? null;
    this.#dropIncoming();
    if (!camera) {
      this.#dropStaged();
      this.current?.destroy();
      this.current = null;
      this.el.className = 'tile tile-empty';
      delete this.el.dataset.cameraId;
      this.el.replaceChildren();
      this.el.ondblclick = null;
      this.#describe();
      return;
    }
    this.shownAt = performance.now();
    this.displayMs = null;
    this.el.className = 'tile';
    this.el.dataset.cameraId = camera.id;
    this.el.title = t('tile.hint');
    this.el.ondblclick = () => openLive(camera, 'main');
    let view;
    let ready = false;
    if (this.staged?.camera.id === camera.id) {
      ({ view, ready } = this.staged);
      this.staged = null;
    } else {
      this.#dropStaged();
      view = this.#newView(camera);
    }
    this.#label(camera, view);
    this.#describe();
    if (!this.current || ready) return this.#promote(view);
    // Keep the last picture of the old camera until the new one plays.
    this.current.player.freeze();
    this.current.video.classList.add('tile-stale');
    this.incoming = view;
    view.video.classList.add('tile-under');
    if (!view.video.isConnected) this.el.prepend(view.video);
  }

  /** Takes a newer record of the camera shown (its name or status changed): the label follows, the stream stays. */
  update(camera) {
    if (!camera || this.camera?.id !== camera.id || !this.view) return;
    if (camera.name === this.camera.name && camera.status === this.camera.status && camera.jurisdictionName === this.camera.jurisdictionName) return;
    this.camera = camera;
    this.el.ondblclick = () => openLive(camera, 'main');
    this.#label(camera, this.view);
    this.#describe();
  }

  /** The tile's place on the page (`index` of `count`), said in its accessible name. */
  setPosition(index, count) {
    if (this.position?.index === index && this.position?.count === count) return;
    this.position = { index, count };
    this.#describe();
  }

  /** Makes this tile the wall's tab stop (true) or reachable by the arrow keys only (false); its buttons follow. */
  setTabStop(on) {
    this.tabStop = !!on;
    this.el.tabIndex = on ? 0 : -1;
    for (const b of this.el.querySelectorAll('button')) b.tabIndex = on ? 0 : -1;
  }

  /** Starts `camera` hidden under the current picture, for a `show(camera)` soon. */
  stage(camera) {
    if (!camera || this.camera?.id === camera.id || this.staged?.camera.id === camera.id) return;
    this.#dropStaged();
    const staged = { camera, view: null, ready: false };
    staged.view = this.#newView(camera, () => { staged.ready = true; });
    staged.view.video.classList.add('tile-under');
    this.el.prepend(staged.view.video);
    this.staged = staged;
  }

  /** Takes a running view out of this cell (the wall moves it to another cell); the cell is left empty. */
  release() {
    const view = this.incoming ?? this.current;
    if (view === this.incoming) { this.current?.destroy(); } else this.#dropIncoming();
    this.current = null;
    this.incoming = null;
    view?.video.remove();
    this.camera = null;
    return view;
  }

  /** Puts a running view (from another cell) here. */
  adopt(camera, view) {
    this.show(null);
    this.camera = camera;
    this.el.className = 'tile';
    this.el.dataset.cameraId = camera.id;
    this.el.ondblclick = () => openLive(camera, 'main');
    this.#label(camera, view);
    this.#describe();
    this.#promote(view);
    this.shownAt = performance.now();
    this.displayMs = 0; // it brought its picture along
  }

  destroy() {
    this.#dropStaged();
    this.#dropIncoming();
    this.current?.destroy();
    this.current = null;
    this.el.remove();
  }

  #newView(camera, ready) {
    const view = createLiveView({ cameraId: camera.id, profile: 'sub', onFirstFrame: () => { ready?.(); this.#firstFrame(view); } });
    return view;
  }

  #firstFrame(view) {
    if (this.incoming === view) this.#promote(view);
    this.#measure();
  }

  /** The time from show() to this cell's first picture of its camera. */
  #measure() {
    const first = this.current?.player.firstFrameAt;
    if (this.displayMs === null && first && this.shownAt && this.current.player.cameraId === this.camera?.id) {
      // A staged stream had its first frame before the turn: the cell showed it when it was promoted (now).
      this.displayMs = Math.round(first >= this.shownAt ? first - this.shownAt : performance.now() - this.shownAt);
    }
  }

  #promote(view) {
    const old = this.current;
    this.current = view;
    if (this.incoming === view) this.incoming = null;
    view.video.classList.remove('tile-under', 'tile-stale');
    if (!view.video.isConnected || view.video.parentNode !== this.el) this.el.prepend(view.video);
    if (old && old !== view) old.destroy();
    this.#measure();
  }

  #label(camera, view) {
    this.el.querySelector('.tile-label')?.remove();
    this.el.querySelector('.tile-replay')?.remove();
    this.el.append(h('div', { class: 'tile-label' }, h('span', { class: 'tile-name' }, camera.name), ' ',
      camera.jurisdictionName ? [h('span', { class: 'tile-post' }, camera.jurisdictionName), ' '] : null, statusBadge(camera.status), ' ', view.stateEl));
    // Instant replay: the full-screen view playing the recording from 30 s / 2 min ago (replay.js).
    const replay = (seconds, key) => h('button', { type: 'button', class: 'tile-replay-button', dataset: { seconds }, onclick: () => openReplay(camera, Date.now() - seconds * 1000) }, t(key));
    this.el.append(h('div', { class: 'tile-replay', role: 'group', 'aria-label': t('replay.tileGroup'), ondblclick: (e) => e.stopPropagation() },
      replay(30, 'replay.back30'), replay(120, 'replay.back120')));
    if (this.tabStop !== null) this.setTabStop(this.tabStop);
  }

  /** The accessible name: place, camera name, post and status (or "empty"). */
  #describe() {
    const c = this.camera;
    const where = this.position ? t('a11y.tilePlace', { n: this.position.index + 1, count: this.position.count }) : '';
    const what = c ? [c.name, c.jurisdictionName, statusName(c.status ?? 'unknown')].filter(Boolean).join(t('a11y.listSeparator')) : t('a11y.tileEmpty');
    this.el.setAttribute('aria-label', where ? t('a11y.tileName', { place: where, what }) : what);
  }

  #dropIncoming() {
    this.incoming?.destroy();
    this.incoming = null;
  }

  #dropStaged() {
    this.staged?.view.destroy();
    this.staged = null;
  }
}
