// Export: a date range, a format, the job's progress, then the download link (a presigned URL, valid 15 minutes).
import { h, clear } from '../dom.js';
import { count, today } from '../format.js';
import { t } from '../i18n.js';
import { JobFacts, ProgressBar } from '../components/job-parts.js';
import { field, showFieldErrors } from '../components/field-errors.js';

export function ExportPage(main, { api, live }) {
  const inputs = {
    from: h('input', { type: 'date', id: 'export-from', value: `${today().slice(0, 4)}-01-01` }),
    to: h('input', { type: 'date', id: 'export-to', value: today() }),
    format: h('select', { id: 'export-format' },
      h('option', { value: 'csv' }, t('export.csv')), h('option', { value: 'json' }, t('export.json'))),
    category: h('input', { id: 'export-category' }),
  };
  const bom = h('input', { type: 'checkbox', id: 'export-bom' });
  const formError = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'export-start' }, t('export.start'));
  const form = h('form', { novalidate: true, class: 'form card', id: 'export-form' },
    h('div', { class: 'grid' },
      field(h, 'export', 'from', t('export.from'), inputs.from),
      field(h, 'export', 'to', t('export.to'), inputs.to),
      field(h, 'export', 'format', t('export.format'), inputs.format),
      field(h, 'export', 'category', t('export.category'), inputs.category, t('export.categoryHint'))),
    h('div', { class: 'check' }, bom, h('label', { for: 'export-bom' }, t('export.bom'))),
    formError, h('div', { class: 'actions' }, submit));
  const output = h('div', { id: 'export-output', 'aria-live': 'polite' });
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.export'))), form, output);

  const aborts = new AbortController();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFieldErrors(form, 'export', null, formError);
    submit.disabled = true;
    const request = { from: inputs.from.value, to: inputs.to.value, format: inputs.format.value };
    if (inputs.category.value.trim()) request.category = inputs.category.value.trim();
    if (request.format === 'csv') request.bom = bom.checked;
    try {
      const accepted = await api.exportTransactions(request);
      const progress = ProgressBar('export-progress', t('export.progress'));
      const result = h('div');
      clear(output, h('section', { class: 'card', id: 'export-run' }, h('h2', {}, t('export.running')), progress.element, result));
      const job = await live.watchJob(accepted.jobId, (update) => {
        progress.set(update.progress.percent, t('export.rows', { rows: count(update.progress.rows) }));
      }, aborts.signal);
      progress.set(job.progress.percent, t(`status.${job.status}`));
      clear(result, JobFacts(job, ['percent', 'bom', 'monthsDone', 'monthsTotal']),
        job.download
          ? h('a', { class: 'button primary', id: 'export-download', href: job.download.url, download: '' }, t('export.download'))
          : h('p', { class: 'error', role: 'alert' }, job.error ?? t(`status.${job.status}`)));
    } catch (error) {
      if (error.name !== 'AbortError') showFieldErrors(form, 'export', error, formError);
    } finally {
      submit.disabled = false;
    }
  });
  return () => aborts.abort();
}
