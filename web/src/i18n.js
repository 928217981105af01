// zh-CN and en, one table each (i18n/). The language comes from the browser unless the person chose one.
import en from './i18n/en.js';
import zh from './i18n/zh-CN.js';

export const LANGUAGES = { en, 'zh-CN': zh };
const CHOSEN = 'tally.language';
let current = initial();

function initial() {
  const chosen = localStorage.getItem(CHOSEN);
  if (chosen in LANGUAGES) return chosen;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const language of preferred) {
    if (/^zh\b/i.test(language)) return 'zh-CN';
    if (/^en\b/i.test(language)) return 'en';
  }
  return 'en';
}

export function locale() {
  return current;
}

export function setLocale(language) {
  current = language;
  localStorage.setItem(CHOSEN, language);
  document.documentElement.lang = language;
}

/** The text for key in the current language, with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const text = LANGUAGES[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** A label for an API field or count name when the table has one ("field.total"), else the name itself. */
export function fieldLabel(name) {
  const key = `field.${name}`;
  return LANGUAGES[current][key] ?? en[key] ?? name;
}
