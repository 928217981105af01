// Amounts stay decimal strings: Intl.NumberFormat formats the string itself, so no amount passes through a float.
import { locale } from './i18n.js';

const moneyFormats = new Map();

export function money(amount, currency) {
  const key = `${locale()}|${currency}`;
  if (!moneyFormats.has(key)) {
    moneyFormats.set(key, new Intl.NumberFormat(locale(), { style: 'currency', currency }));
  }
  return moneyFormats.get(key).format(amount);
}

export function monthLabel(month, style = 'long') {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: style, timeZone: 'UTC' })
    .format(Date.UTC(year, number - 1, 1));
}

export function dateLabel(date) {
  const [year, month, day] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
    .format(Date.UTC(year, month - 1, day));
}

export function count(value) {
  return new Intl.NumberFormat(locale()).format(value);
}

/** YYYY-MM-DD of today in the browser's zone. */
export function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export function shiftMonth(month, by) {
  const [year, number] = month.split('-').map(Number);
  const shifted = new Date(Date.UTC(year, number - 1 + by, 1));
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}`;
}
