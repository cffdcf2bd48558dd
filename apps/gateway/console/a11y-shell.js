// The page shell for the keyboard: the skip link (the first Tab stop) moves the focus to the screen's content without
// touching the hash route, and the menu and the content are named landmarks. Every key: docs/accessibility.md.
import { t } from './i18n.js';

const main = document.getElementById('main');
const skip = document.getElementById('skip-link');
document.getElementById('nav')?.setAttribute('aria-label', t('a11y.nav'));
main?.setAttribute('aria-label', t('a11y.main'));
skip?.addEventListener('click', (e) => {
  e.preventDefault(); // "#main" would be taken for a route
  // The content itself takes the focus (tabindex -1): the next Tab goes to the screen's first control.
  main.focus();
});
