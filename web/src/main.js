// The app's shell: sign-in, the header (navigation, language, live state), and a hash router over the pages.
import './app.css';
import { Api } from './api.js';
import { completeSignIn, signIn, signOut, token } from './auth.js';
import { DEMO_LABEL } from './auth-local.js';
import { loadConfig } from './config.js';
import { h, clear } from './dom.js';
import { LANGUAGES, locale, setLocale, t } from './i18n.js';
import { Live } from './live.js';
import { Dashboard } from './pages/dashboard.js';
import { Transactions } from './pages/transactions.js';
import { ImportPage } from './pages/import.js';
import { ExportPage } from './pages/export.js';
import { ProfilePage } from './pages/profile.js';

const PAGES = {
  '': { title: 'nav.dashboard', page: Dashboard },
  transactions: { title: 'nav.transactions', page: Transactions },
  import: { title: 'nav.import', page: ImportPage },
  export: { title: 'nav.export', page: ExportPage },
  profile: { title: 'nav.profile', page: ProfilePage },
};

const root = document.getElementById('app');
let context;
let leave = () => {};
let unwatchMode = () => {};

async function boot() {
  document.documentElement.lang = locale();
  const config = await loadConfig();
  await completeSignIn(config);
  if (!token()) {
    showSignIn(config);
    return;
  }
  const api = new Api(config.apiUrl, token, () => { signOut(config); });
  const live = new Live(api);
  // The profile (which also creates it on first sign-in) loads beside the first page's own reads; pages that need it
  // wait for `ready`.
  context = { api, live, config, profile: null };
  context.ready = api.me().then((profile) => { context.profile = profile; return profile; });
  live.start();
  window.addEventListener('hashchange', route);
  route();
}

function showSignIn(config) {
  const button = h('button', { class: 'primary', type: 'button', id: 'sign-in' },
    LOCAL ? DEMO_LABEL[locale()] : t('signIn.button'));
  const error = h('p', { class: 'error', role: 'alert' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      // Locally the token comes back at once; deployed, the browser leaves for the hosted UI.
      if (await signIn(config)) await boot();
    } catch (failure) {
      error.textContent = failure.message;
      button.disabled = false;
    }
  });
  clear(root, h('main', { id: 'main', class: 'sign-in' },
    h('h1', {}, 'Tally'),
    h('p', {}, t('signIn.lead')),
    button, error,
    languageSwitch(() => showSignIn(config))));
  button.focus();
}

function route() {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0];
  const entry = PAGES[name] ?? PAGES[''];
  leave();
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(root, header(name), main);
  document.title = `${t(entry.title)} · Tally`;
  leave = entry.page(main, context) ?? (() => {});
  // A new page moves focus to its content, as a screen-reader user expects after following a link.
  if (document.activeElement === document.body || root.contains(document.activeElement) === false) main.focus();
}

function header(current) {
  const links = Object.entries(PAGES).map(([name, entry]) => h('a', {
    href: `#/${name}`, 'aria-current': name === current ? 'page' : false,
  }, t(entry.title)));
  const liveState = h('span', { class: 'live', id: 'live-state', role: 'status' });
  const showMode = () => {
    liveState.textContent = context.live.mode === 'push' ? t('live.push') : t('live.polling');
    liveState.dataset.mode = context.live.mode;
  };
  showMode();
  unwatchMode();
  context.live.addEventListener('mode', showMode);
  unwatchMode = () => context.live.removeEventListener('mode', showMode);
  return h('header', { class: 'top' },
    h('a', { class: 'brand', href: '#/' }, 'Tally'),
    h('nav', { 'aria-label': t('nav.label') }, links),
    h('div', { class: 'tools' },
      liveState,
      languageSwitch(route),
      h('button', { type: 'button', class: 'link', onclick: () => signOut(context.config) }, t('signOut'))));
}

function languageSwitch(rerender) {
  const select = h('select', { id: 'language', 'aria-label': t('language') },
    Object.entries(LANGUAGES).map(([code, table]) => h('option', { value: code, selected: code === locale() },
      table['language.name'])));
  select.addEventListener('change', () => {
    setLocale(select.value);
    rerender();
    document.getElementById('language')?.focus();
  });
  return select;
}

boot().catch((failure) => {
  clear(root, h('main', { id: 'main' }, h('h1', {}, 'Tally'), h('p', { class: 'error', role: 'alert' },
    `${t('error.start')}: ${failure.message}`)));
});
