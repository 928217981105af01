// What import and export pages share: a progress bar, a job's facts shown generically (whatever the API reports,
// so a new import format or count shows without a change here), and the row errors table with paging.
import { h, clear } from '../dom.js';
import { count } from '../format.js';
import { fieldLabel, t } from '../i18n.js';

export function ProgressBar(id, label) {
  const fill = h('div', { class: 'bar-fill' });
  const bar = h('div', {
    class: 'progress', id, role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0,
  }, fill);
  const text = h('p', { class: 'bar-text', id: `${id}-text` });
  bar.setAttribute('aria-describedby', text.id);
  return {
    element: h('div', { class: 'progress-wrap' }, bar, text),
    set(percent, caption) {
      bar.setAttribute('aria-valuenow', percent);
      bar.dataset.percent = percent;
      fill.style.width = `${percent}%`;
      text.textContent = caption ? `${percent}% · ${caption}` : `${percent}%`;
    },
  };
}

/** Every scalar the job reports in `request` and `progress` (names as the API spells them, labelled when known). */
export function JobFacts(job, skip = []) {
  const facts = [['status', t(`status.${job.status}`)]];
  for (const [name, value] of Object.entries({ ...job.request, ...job.progress })) {
    if (skip.includes(name) || value === null || typeof value === 'object') continue;
    facts.push([name, typeof value === 'number' ? count(value) : typeof value === 'boolean' ? (value ? t('yes') : t('no')) : value]);
  }
  return h('dl', { class: 'facts' }, facts.map(([name, value]) => h('div', { 'data-fact': name },
    h('dt', {}, fieldLabel(name)), h('dd', {}, String(value)))));
}

/** An import's row errors, a page at a time (the API's cursor; earlier pages kept to go back). */
export function RowErrors(api, jobId) {
  const element = h('section', { class: 'row-errors', id: `row-errors` }, h('h3', {}, t('import.rowErrors')));
  const body = h('div');
  const previous = h('button', { type: 'button', id: 'errors-previous' }, t('paging.previous'));
  const next = h('button', { type: 'button', id: 'errors-next' }, t('paging.next'));
  const where = h('span', { class: 'muted', id: 'errors-page' });
  element.append(body, h('div', { class: 'paging' }, previous, where, next));
  const cursors = [undefined];
  let index = 0;
  async function show() {
    previous.disabled = next.disabled = true;
    const page = await api.jobErrors(jobId, cursors[index]);
    cursors[index + 1] = page.nextCursor;
    if (!page.items.length && index === 0) {
      clear(body, h('p', { class: 'empty' }, t('import.noRowErrors')));
      element.querySelector('.paging').hidden = true;
      return;
    }
    clear(body, h('div', { class: 'table-scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, ['row', 'column', 'reason', 'raw'].map((name) => h('th', { scope: 'col' }, t(`import.${name}`))))),
      h('tbody', {}, page.items.map((error) => h('tr', {},
        h('td', { class: 'num' }, String(error.row)), h('td', {}, error.column ?? ''),
        h('td', {}, error.reason), h('td', { class: 'raw', title: error.raw ?? '' }, error.raw ?? '')))))));
    where.textContent = t('paging.page', { page: index + 1 });
    previous.disabled = index === 0;
    next.disabled = !page.nextCursor;
  }
  previous.addEventListener('click', () => { index -= 1; show(); });
  next.addEventListener('click', () => { index += 1; show(); });
  show().catch((error) => clear(body, h('p', { class: 'error', role: 'alert' }, error.message)));
  return element;
}
