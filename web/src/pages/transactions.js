// Transactions: filters, a page at a time ("load more" follows the API's cursor), add / edit / delete in a dialog.
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { TransactionRows } from '../components/dashboard-parts.js';
import { TransactionForm } from '../components/transaction-form.js';

export function Transactions(main, context) {
  const { api, live } = context;
  const filters = { from: '', to: '', type: '', category: '' };
  const inputs = {
    from: h('input', { type: 'date', id: 'filter-from', name: 'from' }),
    to: h('input', { type: 'date', id: 'filter-to', name: 'to' }),
    type: h('select', { id: 'filter-type', name: 'type' },
      h('option', { value: '' }, t('filter.anyType')),
      h('option', { value: 'expense' }, t('tx.expense')),
      h('option', { value: 'income' }, t('tx.income'))),
    category: h('input', { id: 'filter-category', name: 'category' }),
  };
  const filterForm = h('form', { class: 'filters', role: 'search', 'aria-label': t('filter.label') },
    Object.entries(inputs).map(([name, input]) => h('div', { class: 'field' },
      h('label', { for: input.id }, t(`filter.${name}`)), input)),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('filter.apply')),
      h('button', { type: 'reset' }, t('filter.reset'))));
  const list = h('div', { id: 'tx-list', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', id: 'load-more', hidden: true }, t('tx.loadMore'));
  const status = h('p', { class: 'status', role: 'status', id: 'tx-status' });
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'tx-form-title' });
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.transactions')),
      h('button', { type: 'button', class: 'primary', id: 'add-transaction', onclick: () => open(null) }, t('tx.add'))),
    filterForm, status, list, more, dialog);

  let items = [];
  let cursor = null;
  let version = 0;
  async function load(append) {
    const mine = ++version;
    more.disabled = true;
    try {
      const page = await api.transactions(filters, append ? cursor : undefined);
      if (mine !== version) return;
      items = append ? items.concat(page.items) : page.items;
      cursor = page.nextCursor;
      clear(list, items.length ? TransactionRows(items, open) : h('p', { class: 'empty card' }, t('tx.none')));
      more.hidden = !cursor;
    } catch (error) {
      clear(list, h('p', { class: 'error', role: 'alert' }, `${t('error.load')}: ${error.message}`));
    } finally {
      more.disabled = false;
    }
  }

  async function open(transaction) {
    const trigger = document.activeElement;
    await context.ready;
    const { form, focus } = TransactionForm(context, transaction, (changed) => {
      dialog.close();
      trigger?.focus?.();
      if (changed) {
        status.textContent = transaction ? t('tx.saved') : t('tx.added');
        load(false);
      }
    });
    clear(dialog, form);
    dialog.showModal();
    focus();
  }

  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const [name, input] of Object.entries(inputs)) filters[name] = input.value.trim();
    load(false);
  });
  filterForm.addEventListener('reset', () => {
    for (const name of Object.keys(filters)) filters[name] = '';
    setTimeout(() => load(false));
  });
  more.addEventListener('click', () => load(true));
  // Another device's change shows on the first page; a longer list stays as the person scrolled it.
  const onChanged = () => { if (!cursor || items.length <= 50) load(false); };
  live.addEventListener('changed', onChanged);
  load(false);
  if (new URLSearchParams(location.hash.split('?')[1] ?? '').has('add')) open(null);
  return () => live.removeEventListener('changed', onChanged);
}
