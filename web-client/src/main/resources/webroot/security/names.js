// Names for the ids the audit log records, so entries read "Tom Reed (officer) suspended Jade's
// contact", not "st-officer-styal contact.suspend ct-…". Actors come named by the audit list itself
// (`actor` on each entry); prisoners and contacts are looked up once per page load and kept.

import { api } from '../assets/js/api.js';
import { t, tOr } from '../assets/js/strings.js';

const cache = new Map();

function remember(key, load) {
  if (!cache.has(key)) cache.set(key, load().catch(() => null));
  return cache.get(key);
}

/** "Name (A1234BC)" for a prisoner id, or the prison number when the record is not ours. */
export function prisonerName(id) {
  if (!id) return Promise.resolve('');
  const number = id.replace(/^pr-/, '');
  return remember(`pr:${id}`, () => api.prisoner(id).then((p) => `${p.name} (${p.prison_number || number})`))
    .then((n) => n || t('names.prisoner', { number }));
}

/** "Carer Ann Lee and Jade Smith (A1234BC)" for a contact id. */
export function contactName(id) {
  if (!id) return Promise.resolve('');
  return remember(`ct:${id}`, () => api.contact(id).then(async (c) => {
    const prisoner = await prisonerName(c.prisoner_id);
    const person = (c.person && c.person.name) || t('names.someone');
    return t('names.contact', { person, prisoner });
  })).then((n) => n || t('names.contact.unknown'));
}

function roleWords(role) {
  return tOr(`role.staff.${role}`, t('names.staff'));
}

/**
 * Who acted, in words, from the `actor` the audit list gives with each entry ({id, kind, name?, role,
 * on_record}): the server has already looked the name up, so a page of entries costs no lookups.
 */
export function actorLabel(actor, me) {
  if (!actor || !actor.id) return t('names.nobody');
  const { id, kind, name, role } = actor;
  if (me && id === me.account_id) return `${me.name || t('names.you')} (${roleWords(role)})`;
  switch (kind) {
    case 'staff':
      if (name) return t('names.staff.named', { name, role: roleWords(role) });
      return t(actor.on_record ? 'names.staff.other' : 'names.staff.gone', { role: roleWords(role) });
    case 'person':
      return name || t(actor.on_record ? 'names.person.other' : 'names.person.gone');
    case 'prisoner':
      return name || t(actor.on_record ? 'names.prisoner.other' : 'names.prisoner.gone');
    case 'kiosk':
      if (name) return t('names.kiosk.at', { location: name });
      return t(actor.on_record ? 'names.kiosk.other' : 'names.kiosk.gone');
    case 'operator': return t('names.cli', { user: name || id.replace(/^cli:/, '') });
    case 'email': return t('names.email', { email: name || id.replace(/^email:/, '') });
    case 'link': return t('names.link');
    case 'system': return t('author.system');
    default: return t('names.unknown');
  }
}

/** Who acted, from the id alone (an entry without `actor`, or a filter before any entry is loaded). */
export function actorName(id, role, me) {
  if (!id) return Promise.resolve(t('names.nobody'));
  if (me && id === me.account_id) return Promise.resolve(`${me.name || t('names.you')} (${tOr(`role.staff.${role}`, '')})`.replace(' ()', ''));
  if (id === 'system') return Promise.resolve(t('author.system'));
  if (id.startsWith('pr-')) return prisonerName(id);
  if (id.startsWith('kiosk:')) return Promise.resolve(t('names.kiosk', { id: id.slice(6) }));
  if (id.startsWith('link:')) return Promise.resolve(t('names.link'));
  if (id.startsWith('email:')) return Promise.resolve(t('names.email', { email: id.slice(6) }));
  if (id.startsWith('cli:')) return Promise.resolve(t('names.cli', { user: id.slice(4) }));
  if (id.startsWith('pe-')) {
    return remember(`pe:${id}`, () => api.person(id).then((p) => p.name)).then((n) => n || t('names.person.unknown'));
  }
  // an id alone says nothing a person can use; the list's `actor` carries the name
  return Promise.resolve(roleWords(role));
}
