// The dashboard's parts, each named for what it shows. Amounts are the API's decimal strings; charts take numbers
// (Number(amount)) for drawing only, never for sums shown as text.
import { Chart, EXPENSE, INCOME, NET, PALETTE } from './charts.js';
import { h } from '../dom.js';
import { count, dateLabel, money, monthLabel } from '../format.js';
import { t } from '../i18n.js';

export function MonthSummary(dashboard) {
  const { month, converted } = dashboard;
  const changes = new Map(month.change.totals.map((change) => [change.currency, change]));
  const cards = month.totals.map((totals) => h('section', { class: 'card totals', 'data-currency': totals.currency },
    h('h3', {}, totals.currency, h('span', { class: 'muted' }, ` · ${t('dashboard.count', { count: count(totals.count) })}`)),
    h('dl', {},
      figure('income', t('dashboard.income'), money(totals.income, totals.currency), changes.get(totals.currency)?.incomePercent),
      figure('expense', t('dashboard.expense'), money(totals.expense, totals.currency), changes.get(totals.currency)?.expensePercent),
      figure('net', t('dashboard.net'), money(totals.net, totals.currency)))));
  const onlyProfileCurrency = month.totals.length === 1 && month.totals[0].currency === converted.currency;
  if (!onlyProfileCurrency) {
    cards.push(h('section', { class: 'card totals converted', 'data-currency': converted.currency },
      h('h3', {}, t('dashboard.convertedTitle', { currency: converted.currency })),
      h('dl', {},
        figure('income', t('dashboard.income'), money(converted.month.income, converted.currency)),
        figure('expense', t('dashboard.expense'), money(converted.month.expense, converted.currency)),
        figure('net', t('dashboard.net'), money(converted.month.net, converted.currency)))));
  }
  return h('div', { class: 'summary' }, cards, RatesNotice(dashboard));
}

function figure(kind, label, value, percent) {
  return h('div', { class: `figure ${kind}` },
    h('dt', {}, label),
    h('dd', { 'data-figure': kind }, value),
    percent ? h('dd', { class: 'change muted' }, t('dashboard.change', { percent: percent.startsWith('-') ? percent : `+${percent}` })) : null);
}

/** Says which converted amounts rest on an old rate, and which currencies had none. */
function RatesNotice({ month, converted }) {
  const stale = converted.rates.filter((rate) => rate.month === month.month && rate.stale);
  const unconverted = converted.unconverted.filter((entry) => entry.month === month.month);
  if (!stale.length && !unconverted.length) return null;
  return h('div', { class: 'notice', role: 'note' },
    stale.map((rate) => h('p', {}, t('dashboard.stale', { currency: rate.currency, date: dateLabel(rate.date) }))),
    unconverted.map((entry) => h('p', {}, t('dashboard.unconverted', { currency: entry.currency, target: converted.currency }))));
}

/** Spending by category in the profile currency, with each category's share of the month's spending. */
export function CategoryDonut({ month, converted }) {
  const currency = converted.currency;
  const single = month.totals.length === 1 && month.totals[0].currency === currency;
  const slices = single
    ? month.byCategory.filter((c) => c.type === 'expense' && c.currency === currency)
      .map((c) => ({ category: c.category, amount: c.amount, share: c.share }))
    : converted.byCategory.filter((c) => c.type === 'expense').map((c) => ({
      category: c.category, amount: c.amount,
      share: (Number(c.amount) / Number(converted.month.expense) * 100).toFixed(1),
    }));
  const section = h('section', { class: 'card chart-card', id: 'category-donut' }, h('h2', {}, t('dashboard.byCategory')));
  if (!slices.length) {
    section.append(h('p', { class: 'empty' }, t('dashboard.noSpending')));
    return { element: section };
  }
  const canvas = h('canvas', { role: 'img', 'aria-label': slices.map((s) => `${s.category} ${s.share}%`).join(', ') });
  const legend = h('ol', { class: 'legend' }, slices.map((slice, index) => h('li', {},
    h('span', { class: 'swatch', style: `background:${PALETTE[index % PALETTE.length]}` }),
    h('span', { class: 'name' }, slice.category),
    h('span', { class: 'share' }, `${slice.share}%`),
    h('span', { class: 'amount' }, money(slice.amount, currency)))));
  section.append(h('div', { class: 'donut' }, h('div', { class: 'canvas-box small' }, canvas), legend));
  const draw = () => new Chart(canvas, {
    type: 'doughnut',
    data: {
      labels: slices.map((s) => s.category),
      datasets: [{ data: slices.map((s) => Number(s.amount)), backgroundColor: slices.map((_, i) => PALETTE[i % PALETTE.length]), borderWidth: 1 }],
    },
    options: { maintainAspectRatio: false, cutout: '62%', plugins: { legend: { display: false } } },
  });
  return { element: section, draw };
}

/** Income against expense per month (profile currency, converted), oldest first. */
export function IncomeExpenseBars({ converted }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': t('dashboard.incomeVsExpense') });
  const element = h('section', { class: 'card chart-card', id: 'income-expense' },
    h('h2', {}, t('dashboard.incomeVsExpense'), h('span', { class: 'muted' }, ` · ${converted.currency}`)),
    h('div', { class: 'canvas-box' }, canvas));
  const draw = () => new Chart(canvas, {
    type: 'bar',
    data: {
      labels: converted.trend.map((m) => monthLabel(m.month, 'short')),
      datasets: [
        { label: t('dashboard.income'), data: converted.trend.map((m) => Number(m.income)), backgroundColor: INCOME },
        { label: t('dashboard.expense'), data: converted.trend.map((m) => Number(m.expense)), backgroundColor: EXPENSE },
      ],
    },
    options: { maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } },
  });
  return { element, draw };
}

/** The month's net (income − expense) over the trend. */
export function NetTrend({ converted }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': t('dashboard.netTrend') });
  const element = h('section', { class: 'card chart-card full', id: 'net-trend' },
    h('h2', {}, t('dashboard.netTrend'), h('span', { class: 'muted' }, ` · ${converted.currency}`)),
    h('div', { class: 'canvas-box' }, canvas));
  const draw = () => new Chart(canvas, {
    type: 'line',
    data: {
      labels: converted.trend.map((m) => monthLabel(m.month, 'short')),
      datasets: [{ label: t('dashboard.net'), data: converted.trend.map((m) => Number(m.net)), borderColor: NET,
        backgroundColor: 'rgba(14,116,144,0.12)', fill: true, tension: 0, pointRadius: 3 }],
    },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } } },
  });
  return { element, draw };
}

export function RecentTransactions({ recent }, onOpen) {
  const section = h('section', { class: 'card', id: 'recent' }, h('h2', {}, t('dashboard.recent')));
  if (recent === null) {
    section.append(h('p', { class: 'notice' }, t('dashboard.recentMissing')));
  } else if (!recent.length) {
    section.append(h('p', { class: 'empty' }, t('dashboard.noRecent')));
  } else {
    section.append(TransactionRows(recent, onOpen));
  }
  return section;
}

/** Rows of transactions (the dashboard's newest and the transactions page share them). */
export function TransactionRows(items, onOpen) {
  return h('ul', { class: onOpen ? 'rows editable' : 'rows' }, items.map((tx) => h('li', { class: `row ${tx.type}`, 'data-id': tx.id },
    h('span', { class: 'date' }, dateLabel(tx.date)),
    h('span', { class: 'what' }, h('strong', {}, tx.category), tx.note ? h('span', { class: 'note muted' }, tx.note) : null),
    h('span', { class: 'amount' }, `${tx.type === 'expense' ? '−' : '+'}${money(tx.amount, tx.currency)}`),
    onOpen ? h('button', { type: 'button', class: 'link edit', onclick: () => onOpen(tx),
      'aria-label': t('tx.editLabel', { category: tx.category, date: tx.date }) }, t('tx.edit')) : null)));
}
