// A modal question with two answers (native <dialog>): what will happen in words, a button that does it and one
// that does not. Esc and the backdrop's cancel answer "no". Resolves true or false; the dialog removes itself.
import { t } from './i18n.js';
import { h } from './util.js';

export function confirmDialog({ id = 'confirm-dialog', title, message, details = [], confirmLabel, danger = false }) {
  return new Promise((resolve) => {
    let answered = false;
    const answer = (yes) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(yes);
    };
    const yes = h('button', { type: 'button', class: danger ? 'confirm-yes danger' : 'confirm-yes', onclick: () => answer(true) }, confirmLabel);
    const no = h('button', { type: 'button', class: 'confirm-no', onclick: () => answer(false) }, t('confirm.cancel'));
    const dialog = h('dialog', { id, class: 'export-dialog confirm-dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-message` },
      h('h3', { id: `${id}-title` }, title),
      h('p', { id: `${id}-message` }, message),
      details.map((text) => h('p', { class: 'muted' }, text)),
      h('div', { class: 'row' }, yes, ' ', no));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); answer(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus(); // the safe answer has the focus: Enter does not delete by accident
  });
}
