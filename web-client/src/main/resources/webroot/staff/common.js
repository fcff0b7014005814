// Pieces shared by the staff console's pages.

import { h, formatInstant } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';

export { errorText, errorNotice } from '../assets/js/errors.js';

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
  if (typeof a === 'string') return a === 'system' ? t('author.system') : a;
  return a.name || a.email || a.account_id || a.id || '—';
}

/** The name of whoever made a version: the API's name for them, mine when it was me, else what is recorded. */
export function authorName(v, me) {
  if (v.author_name) return v.author_name;
  if (v.author && typeof v.author === 'object' && v.author.name) return v.author.name;
  if (me && v.author === me.account_id && me.name) return me.name;
  return authorLabel(v.author);
}

/** A clearance level in words with its colour cue; NONE stands out (a prisoner may not have child contact). */
export function clearanceBadge(level) {
  return h('span', { class: `clearance clearance-${level || 'UNKNOWN'}`, text: tOr(`clearance.${level}`, level || '—') });
}

/** The prisoner's flags in words. */
export function flagsText(flags) {
  return (flags || []).map((f) => tOr(`flag.${f}`, f.toLowerCase())).join(', ') || t('flags.none');
}

/** The items of a list answer, whatever its member is called ({items} is the convention). */
export function itemsOf(page, ...names) {
  for (const n of ['items', ...names]) if (page && Array.isArray(page[n])) return page[n];
  return [];
}
