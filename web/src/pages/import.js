// Import: drop a file, see the dry run (what the API detected and counted, the file's first rows, the row errors),
// start it, follow the live progress bar, then the summary and the row errors.
import { h, clear } from '../dom.js';
import { count } from '../format.js';
import { t } from '../i18n.js';
import { JobFacts, ProgressBar, RowErrors } from '../components/job-parts.js';

/** The API's limit for a CSV sent as the request body (docs/import.md); larger files take the CLI's upload form. */
const MAX_BODY_BYTES = 1_000_000;
const PREVIEW_ROWS = 5;

export function ImportPage(main, { api, live }) {
  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,.txt,text/csv', class: 'sr-only' });
  const drop = h('label', { for: 'import-file', class: 'drop', id: 'drop-zone' },
    h('strong', {}, t('import.drop')), h('span', { class: 'muted' }, t('import.dropHint')));
  const mapping = h('select', { id: 'import-mapping' },
    h('option', { value: '' }, t('import.mappingAuto')),
    h('option', { value: 'cn-bank' }, 'cn-bank'),
    h('option', { value: 'us-bank' }, 'us-bank'));
  const output = h('div', { id: 'import-output', 'aria-live': 'polite' });
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.import'))),
    h('section', { class: 'card' },
      h('div', { class: 'field' }, h('label', { for: 'import-mapping' }, t('import.mapping')), mapping,
        h('p', { class: 'hint' }, t('import.mappingHint'))),
      file, drop),
    output);

  const aborts = new AbortController();
  let chosen = null;
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (event.dataTransfer.files.length) choose(event.dataTransfer.files[0]);
  });
  file.addEventListener('change', () => { if (file.files.length) choose(file.files[0]); });
  mapping.addEventListener('change', () => { if (chosen) choose(chosen); });

  async function choose(picked) {
    chosen = picked;
    if (picked.size > MAX_BODY_BYTES) {
      clear(output, h('p', { class: 'error', role: 'alert' }, t('import.tooLarge', { size: count(picked.size) })));
      return;
    }
    const preview = h('section', { class: 'card', id: 'dry-run' },
      h('h2', {}, t('import.preview', { name: picked.name })), FirstRows(await picked.arrayBuffer()));
    const status = h('p', { class: 'status', role: 'status' }, t('import.checking'));
    preview.append(status);
    clear(output, preview);
    try {
      const accepted = await api.importCsv(picked, { mapping: mapping.value || undefined, dryRun: true });
      const job = await live.watchJob(accepted.jobId, () => {}, aborts.signal);
      status.remove();
      preview.append(h('div', { class: 'result' },
        JobFacts(job, ['percent', 'chunks', 'chunksDone', 'rowsPerSecond', 'etaSeconds', 'dryRun', 'upload']),
        job.error ? h('p', { class: 'error', role: 'alert' }, job.error) : null,
        job.status === 'failed' ? null : h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: 'start-import', onclick: (event) => start(picked, event.target) },
            t('import.start', { count: count(job.progress.valid) }))),
        RowErrors(api, job.jobId)));
    } catch (error) {
      if (error.name === 'AbortError') return;
      status.replaceWith(h('p', { class: 'error', role: 'alert' }, problemText(error)));
    }
  }

  async function start(picked, button) {
    button.disabled = true;
    const progress = ProgressBar('import-progress', t('import.progress'));
    const facts = h('div');
    const section = h('section', { class: 'card', id: 'import-run' }, h('h2', {}, t('import.running', { name: picked.name })),
      progress.element, facts);
    output.append(section);
    section.scrollIntoView({ block: 'nearest' });
    try {
      const accepted = await api.importCsv(picked, { mapping: mapping.value || undefined, dryRun: false });
      const job = await live.watchJob(accepted.jobId, (update) => {
        const p = update.progress;
        progress.set(p.percent, t('import.counts', { done: count(p.imported + p.duplicates + p.invalid + p.failed), total: count(p.total) }));
      }, aborts.signal);
      progress.set(job.progress.percent, t(`status.${job.status}`));
      section.dataset.status = job.status;
      clear(facts, h('h3', {}, t('import.summary')),
        JobFacts(job, ['percent', 'chunks', 'chunksDone', 'etaSeconds', 'dryRun', 'upload']),
        job.error ? h('p', { class: 'error', role: 'alert' }, job.error) : null,
        RowErrors(api, job.jobId));
    } catch (error) {
      if (error.name !== 'AbortError') facts.append(h('p', { class: 'error', role: 'alert' }, problemText(error)));
    }
  }
  return () => aborts.abort();
}

function problemText(error) {
  const fields = (error.fieldErrors ?? []).map((e) => `${e.field}: ${e.reason}`);
  return [error.message, ...fields].join(' — ');
}

/** The file's first rows as the browser reads them (UTF-8, else GB18030 as Chinese bank and bill exports use). */
function FirstRows(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.slice(0, 64 * 1024));
  } catch {
    text = new TextDecoder('gb18030').decode(bytes.slice(0, 64 * 1024));
  }
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim()).slice(0, PREVIEW_ROWS + 1)
    .map(splitCsvLine);
  if (!rows.length) return h('p', { class: 'empty' }, t('import.emptyFile'));
  const [head, ...rest] = rows;
  return h('div', { class: 'table-scroll' }, h('table', { id: 'first-rows' },
    h('caption', { class: 'muted' }, t('import.firstRows')),
    h('thead', {}, h('tr', {}, head.map((cell) => h('th', { scope: 'col' }, cell)))),
    h('tbody', {}, rest.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell)))))));
}

/** One CSV line's cells (quotes and doubled quotes; a quoted line break ends the preview's line early, harmlessly). */
function splitCsvLine(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
  }
  cells.push(cell);
  return cells;
}
