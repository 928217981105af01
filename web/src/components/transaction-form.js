// Add or edit a transaction in a dialog. The API validates (the form has novalidate): each problem+json field error is
// shown beside its field. A create carries an Idempotency-Key that stays the same while the body does, so a double
// click or a retry stores one transaction.
import { h } from '../dom.js';
import { today } from '../format.js';
import { t } from '../i18n.js';
import { field, showFieldErrors } from './field-errors.js';

const FIELDS = ['type', 'amount', 'currency', 'category', 'date', 'note', 'tags'];
export const CATEGORIES = ['餐饮', '交通', '购物', '住房', '娱乐', '医疗', '工资', '其他',
  'Groceries', 'Dining', 'Transport', 'Rent', 'Salary', 'Other'];

export function TransactionForm({ api, profile }, transaction, onDone) {
  // Opened only once the profile is loaded (Transactions waits for context.ready).
  const editing = Boolean(transaction);
  const value = transaction ?? { type: 'expense', amount: '', currency: profile.currency, category: '', date: today(), note: '', tags: [] };
  const inputs = {
    type: h('select', { id: 'tx-type', name: 'type' },
      h('option', { value: 'expense', selected: value.type === 'expense' }, t('tx.expense')),
      h('option', { value: 'income', selected: value.type === 'income' }, t('tx.income'))),
    amount: h('input', { id: 'tx-amount', name: 'amount', inputmode: 'decimal', autocomplete: 'off', value: value.amount }),
    currency: h('input', { id: 'tx-currency', name: 'currency', maxlength: 3, autocapitalize: 'characters', value: value.currency }),
    category: h('input', { id: 'tx-category', name: 'category', list: 'tx-categories', value: value.category }),
    date: h('input', { id: 'tx-date', name: 'date', type: 'date', value: value.date }),
    note: h('textarea', { id: 'tx-note', name: 'note', rows: 2, value: value.note ?? '' }),
    tags: h('input', { id: 'tx-tags', name: 'tags', value: (value.tags ?? []).join(', ') }),
  };
  const formError = h('p', { class: 'error', role: 'alert', id: 'tx-form-error' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'tx-save' }, t('form.save'));
  const form = h('form', { novalidate: true, class: 'form', id: 'tx-form' },
    h('h2', { id: 'tx-form-title' }, editing ? t('tx.editTitle') : t('tx.addTitle')),
    h('div', { class: 'grid' }, FIELDS.map((name) => field(h, 'tx', name, t(`tx.${name}`), inputs[name],
      name === 'tags' ? t('tx.tagsHint') : null))),
    h('datalist', { id: 'tx-categories' }, CATEGORIES.map((c) => h('option', { value: c }))),
    formError,
    h('div', { class: 'actions' },
      save,
      h('button', { type: 'button', onclick: () => onDone(false) }, t('form.cancel')),
      editing ? h('button', { type: 'button', class: 'danger', id: 'tx-delete', onclick: remove }, t('tx.delete')) : null));

  let idempotency = { key: null, body: null };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFieldErrors(form, 'tx', null, formError);
    const body = read();
    save.disabled = true;
    try {
      if (editing) {
        await api.updateTransaction(transaction.id, body);
      } else {
        const text = JSON.stringify(body);
        if (idempotency.body !== text) idempotency = { key: crypto.randomUUID(), body: text };
        await api.createTransaction(body, idempotency.key);
      }
      onDone(true);
    } catch (error) {
      showFieldErrors(form, 'tx', error, formError);
    } finally {
      save.disabled = false;
    }
  });

  async function remove() {
    if (!window.confirm(t('tx.confirmDelete'))) return;
    try {
      await api.deleteTransaction(transaction.id);
      onDone(true);
    } catch (error) {
      showFieldErrors(form, 'tx', error, formError);
    }
  }

  function read() {
    const tags = inputs.tags.value.split(/[,，]/).map((tag) => tag.trim()).filter(Boolean);
    return {
      type: inputs.type.value,
      amount: inputs.amount.value.trim(),
      currency: inputs.currency.value.trim().toUpperCase(),
      category: inputs.category.value.trim(),
      date: inputs.date.value,
      note: inputs.note.value.trim() || null,
      tags,
    };
  }

  return { form, focus: () => inputs.amount.focus() };
}
