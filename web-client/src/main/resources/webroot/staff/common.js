// Pieces shared by the staff console's pages.

import { h, formatInstant } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';

/** The words to show a person for a failed API call (the API's own message is written for people). */
export function errorText(e) {
  if (!e || e.status === undefined) return t('error.unexpected', { status: '?' });
  if (e.status === 0) return t('error.network');
  if (e.status === 503) return e.details && e.details.message ? e.details.message : t('error.unavailable');
  if (e.details && e.details.message) return e.details.message;
  if (e.status === 403) return t('error.forbidden');
  return t('error.unexpected', { status: e.status });
}

/** A page-level error notice (role=alert so it is announced as soon as it appears). */
export function errorNotice(e) {
  return h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { text: errorText(e) }));
}

/** A contact state as words with a colour cue (never colour alone). */
export function stateBadge(state, until) {
  return h('span', {},
    h('span', { class: `state state-${state}`, text: tOr(`state.${state}`, state) }),
    state === 'SUSPENDED'
      ? [' ', until ? h('time', { datetime: until, text: t('contact.suspended.until', { when: formatInstant(until) }) })
        : h('span', { text: t('contact.suspended.open') })]
      : null);
}

/** Breadcrumbs: [[label, href], …, [label]] where the last is the current page. */
export function breadcrumbs(items) {
  return h('nav', { class: 'breadcrumbs', 'aria-label': t('nav.label') },
    h('ol', {}, items.map(([label, href], i) => h('li', {},
      href && i < items.length - 1 ? h('a', { href, text: label }) : h('span', { 'aria-current': 'page', text: label })))));
}

/** "Name (A1234BC)" for a prisoner object, or the id when we know nothing else. */
export function prisonerLabel(p, id) {
  if (!p) return id;
  const number = p.prison_number || id;
  return p.name ? `${p.name} (${number})` : number;
}

/** A person's display name from a contact's person object. */
export function personLabel(person) {
  if (!person) return '';
  return person.name || person.display_name || person.id;
}

/** Who made a change, from an author that may be a string or an object. */
export function authorLabel(a) {
  if (!a) return '—';
  if (typeof a === 'string') return a;
  return a.name || a.email || a.account_id || a.id || '—';
}
