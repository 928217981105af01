// Profile: name, default currency (new transactions and the dashboard's converted totals) and time zone.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, showFieldErrors } from '../components/field-errors.js';

const CURRENCIES = ['CNY', 'USD', 'EUR', 'JPY', 'HKD', 'GBP', 'KRW', 'SGD', 'TWD', 'AUD', 'CAD', 'CHF'];

export function ProfilePage(main, context) {
  context.ready.then((profile) => ProfileForm(main, context, profile));
}

function ProfileForm(main, context, profile) {
  const { api } = context;
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : [profile.timeZone];
  if (!zones.includes(profile.timeZone)) zones.unshift(profile.timeZone);
  const inputs = {
    name: h('input', { id: 'profile-name', autocomplete: 'name', value: profile.name }),
    currency: h('input', { id: 'profile-currency', list: 'profile-currencies', maxlength: 3, value: profile.currency }),
    timeZone: h('select', { id: 'profile-timeZone' },
      zones.map((zone) => h('option', { value: zone, selected: zone === profile.timeZone }, zone))),
  };
  const formError = h('p', { class: 'error', role: 'alert' });
  const status = h('p', { class: 'status', role: 'status', id: 'profile-status' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'profile-save' }, t('form.save'));
  const form = h('form', { novalidate: true, class: 'form card', id: 'profile-form' },
    h('div', { class: 'grid' },
      field(h, 'profile', 'name', t('profile.name'), inputs.name),
      field(h, 'profile', 'currency', t('profile.currency'), inputs.currency, t('profile.currencyHint')),
      field(h, 'profile', 'timeZone', t('profile.timeZone'), inputs.timeZone)),
    h('datalist', { id: 'profile-currencies' }, CURRENCIES.map((code) => h('option', { value: code }))),
    formError, h('div', { class: 'actions' }, save), status);
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('nav.profile'))), form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFieldErrors(form, 'profile', null, formError);
    status.textContent = '';
    save.disabled = true;
    try {
      context.profile = await api.updateMe({
        name: inputs.name.value.trim(), currency: inputs.currency.value.trim().toUpperCase(), timeZone: inputs.timeZone.value,
      });
      status.textContent = t('profile.saved');
    } catch (error) {
      showFieldErrors(form, 'profile', error, formError);
    } finally {
      save.disabled = false;
    }
  });
}
