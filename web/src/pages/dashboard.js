// The dashboard: month picker, totals, category donut, income vs expense, net trend, newest transactions; read again
// when something it shows changes (push, or polling).
import { h, clear } from '../dom.js';
import { monthLabel, shiftMonth } from '../format.js';
import { t } from '../i18n.js';
import {
  CategoryDonut, IncomeExpenseBars, MonthSummary, NetTrend, RecentTransactions,
} from '../components/dashboard-parts.js';

let firstRender = true;

export function Dashboard(main, { api, live }) {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const state = { month: params.get('month'), months: Number(params.get('months')) || 12 };
  const body = h('div', { class: 'dashboard', 'aria-live': 'polite', 'aria-busy': 'true' });
  const picker = h('input', { type: 'month', id: 'month', value: state.month ?? '' });
  const span = h('select', { id: 'months' }, [6, 12, 24].map((n) => h('option', { value: n, selected: n === state.months },
    t('dashboard.months', { count: n }))));
  const heading = h('h1', {}, t('nav.dashboard'));
  main.append(h('div', { class: 'page-head' }, heading,
    h('div', { class: 'month-picker' },
      h('button', { type: 'button', class: 'icon', 'aria-label': t('dashboard.previousMonth'), onclick: () => go(-1) }, '‹'),
      h('label', { for: 'month', class: 'sr-only' }, t('dashboard.month')), picker,
      h('button', { type: 'button', class: 'icon', 'aria-label': t('dashboard.nextMonth'), onclick: () => go(1) }, '›'),
      h('label', { for: 'months', class: 'sr-only' }, t('dashboard.trendLength')), span)), body);

  let charts = [];
  let lastShown = null;
  let version = 0;
  let stopped = false;
  async function load() {
    const mine = ++version;
    body.setAttribute('aria-busy', 'true');
    try {
      const dashboard = await api.dashboard(state.month || undefined, state.months);
      if (stopped || mine !== version) return;
      state.month = dashboard.month.month;
      picker.value = state.month;
      // A refresh that changed nothing (polling, mostly) leaves the page as it is: no redraw, no flicker.
      const shown = JSON.stringify({ ...dashboard, generatedAt: null });
      if (shown === lastShown) return;
      lastShown = shown;
      render(dashboard);
    } catch (error) {
      if (!stopped) clear(body, h('p', { class: 'error', role: 'alert' }, `${t('error.load')}: ${error.message}`));
    } finally {
      body.setAttribute('aria-busy', 'false');
    }
  }

  function render(dashboard) {
    charts.forEach((chart) => chart.destroy());
    charts = [];
    const { month, trend } = dashboard;
    if (!month.totals.length) {
      const everEmpty = trend.every((m) => !m.totals.length);
      clear(body, h('section', { class: 'card empty-state' },
        h('h2', {}, everEmpty ? t('dashboard.welcome') : t('dashboard.emptyMonth', { month: monthLabel(month.month) })),
        h('p', {}, everEmpty ? t('dashboard.welcomeText') : t('dashboard.emptyMonthText')),
        h('p', { class: 'actions' },
          h('a', { class: 'button primary', href: '#/transactions?add=1' }, t('tx.add')),
          h('a', { class: 'button', href: '#/import' }, t('nav.import')))),
      everEmpty ? null : RecentTransactions(dashboard));
    } else {
      const parts = [CategoryDonut(dashboard), IncomeExpenseBars(dashboard), NetTrend(dashboard)];
      clear(body,
        h('h2', { class: 'month-title' }, monthLabel(month.month)),
        MonthSummary(dashboard),
        h('div', { class: 'charts' }, parts.map((part) => part.element)),
        RecentTransactions(dashboard));
      charts = parts.filter((part) => part.draw).map((part) => part.draw());
    }
    body.dataset.generatedAt = dashboard.generatedAt;
    if (firstRender) {
      firstRender = false;
      // The e2e test reads this: time from navigation start to the first dashboard on screen.
      performance.mark('tally:dashboard-rendered');
    }
  }

  function go(by) {
    state.month = shiftMonth(state.month, by);
    picker.value = state.month;
    load();
  }
  picker.addEventListener('change', () => { if (picker.value) { state.month = picker.value; load(); } });
  span.addEventListener('change', () => { state.months = Number(span.value); load(); });
  // Everything shown (the month and the trend around it) may change with any write: read again, once per burst.
  let pending;
  const onChanged = () => {
    clearTimeout(pending);
    pending = setTimeout(load, 250);
  };
  live.addEventListener('changed', onChanged);
  load();
  return () => {
    stopped = true;
    clearTimeout(pending);
    live.removeEventListener('changed', onChanged);
    charts.forEach((chart) => chart.destroy());
  };
}
