// The camera table's sortable column headers: a button per column the server can sort by (GET /api/cameras
// ?sort=&order=, docs/operators.md "Sorting"); aria-sort says the order in force. A click on the sorted column turns
// its order round; a click on another sorts by it, ascending.
import { t } from './i18n.js';
import { h } from './util.js';

const ARROWS = { asc: ' ▲', desc: ' ▼' };

/**
 * Header cells for `columns` ([{label, sort?}], sort: the server's key). `state` is {sort, order}; `onChange`
 * gets the new state. Returns {cells, render(state)}: render marks the sorted column again.
 */
export function sortableHeaders(columns, state, onChange) {
  let current = { ...state };
  const cells = columns.map((col) => {
    if (!col.sort) return h('th', {}, col.label);
    const arrow = h('span', { class: 'sort-arrow', 'aria-hidden': 'true' });
    const button = h('button', { type: 'button', class: 'sort-button', dataset: { sort: col.sort }, onclick: () => {
      current = current.sort === col.sort ? { sort: col.sort, order: current.order === 'asc' ? 'desc' : 'asc' } : { sort: col.sort, order: 'asc' };
      render(current);
      onChange(current);
    } }, col.label, arrow);
    return h('th', { dataset: { sort: col.sort } }, button);
  });
  function render(next) {
    current = { ...next };
    for (const th of cells) {
      const key = th.dataset.sort;
      if (!key) continue;
      const on = key === current.sort;
      th.setAttribute('aria-sort', on ? (current.order === 'asc' ? 'ascending' : 'descending') : 'none');
      th.querySelector('.sort-arrow').textContent = on ? ARROWS[current.order] : '';
      th.querySelector('button').title = on && current.order === 'asc' ? t('ops.sort.descending') : t('ops.sort.ascending');
    }
  }
  render(current);
  return { cells, render };
}
