// Names for the ids the audit log records: prisoners, people, contacts, kiosks and staff, looked
// up once per page load and kept, so entries read "Officer Tom Reed suspended Jade's contact",
// not "st-officer-styal contact.suspend ct-…".

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

/** Who acted, in words: a member of staff, a prisoner, a person outside, a kiosk, the system. */
export function actorName(id, role, me) {
  if (!id) return Promise.resolve(t('names.nobody'));
  if (me && id === me.account_id) return Promise.resolve(`${me.name || t('names.you')} (${tOr(`role.staff.${role}`, '')})`.replace(' ()', ''));
  if (id === 'system') return Promise.resolve(t('author.system'));
  if (id.startsWith('pr-')) return prisonerName(id);
  if (id.startsWith('kiosk:')) return Promise.resolve(t('names.kiosk', { id: id.slice(6) }));
  if (id.startsWith('email:')) return Promise.resolve(t('names.email', { email: id.slice(6) }));
  if (id.startsWith('cli:')) return Promise.resolve(t('names.cli', { user: id.slice(4) }));
  if (id.startsWith('pe-')) {
    return remember(`pe:${id}`, () => api.person(id).then((p) => p.name)).then((n) => n || t('names.person.unknown'));
  }
  // staff names are not readable by security staff through the API: role in words, account as recorded
  return Promise.resolve(`${tOr(`role.staff.${role}`, t('names.staff'))} (${id})`);
}
