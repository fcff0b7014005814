// Registering a prisoner (#/prisoners/new) and adding a contact for one (#/prisoners/{id}/add):
// the person is found by name on the server (a father in another prison is a person whose record
// names his prisoner record), never typed as an id.

import { api } from '../assets/js/api.js';
import { h, replace, uid, focusStatic, announce } from '../assets/js/dom.js';
import { t, tc, tOr } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf } from '../assets/js/forms.js';
import { breadcrumbs, prisonerLabel, itemsOf } from './common.js';
import { prisonerFor } from './prisoners.js';
import { RELATIONSHIPS } from './policy-form.js';

const FLAGS = ['REMAND', 'MBU', 'CARE_PROCEEDINGS', 'RISK_TO_CHILDREN'];
const CLEARANCES = ['NONE', 'WRITTEN', 'SUPERVISED', 'FULL'];

/** A labelled control with an optional hint, tied by aria-describedby. */
function field(label, control, hint) {
  const id = control.id || (control.id = uid('reg'));
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), hintEl, control);
}

/** #/prisoners/new */
export async function registerPrisonerView(host, app) {
  app.title(t('register.title'));
  const number = h('input', { type: 'text', 'data-field': 'prison_number', class: 'narrow-text', autocomplete: 'off', spellcheck: 'false', maxlength: '7' });
  const name = h('input', { type: 'text', 'data-field': 'name', autocomplete: 'off' });
  const pin = h('input', { type: 'password', 'data-field': 'pin', inputmode: 'numeric', autocomplete: 'new-password', class: 'narrow', maxlength: '8' });
  const clearance = h('select', { 'data-field': 'clearance' },
    CLEARANCES.map((c) => h('option', { value: c, text: t(`clearance.${c}`), selected: c === 'NONE' })));
  const flagsId = uid('flags');
  const flags = h('fieldset', { class: 'group', 'data-field': 'flags', 'aria-describedby': `${flagsId}-hint` },
    h('legend', { text: t('prisoner.flags') }),
    h('p', { class: 'hint', id: `${flagsId}-hint`, text: t('register.flags.hint') }),
    h('div', { class: 'choices stacked' }, FLAGS.map((f) => {
      const id = uid('flag');
      return h('div', { class: 'choice' }, h('input', { type: 'checkbox', id, name: flagsId, value: f }),
        h('label', { for: id, text: t(`flag.${f}`) }));
    })));
  const top = h('div');
  const submit = h('button', { type: 'submit', class: 'button-primary', text: t('register.submit') });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'register-title' },
    top,
    field(t('register.number'), number, t('register.number.hint')),
    field(t('register.name'), name),
    field(t('register.pin'), pin, t('register.pin.hint')),
    field(t('prisoner.clearance'), clearance, t('register.clearance.hint')),
    flags,
    h('div', { class: 'button-row' }, submit, h('a', { href: '#/', text: t('action.cancel') })));
  number.addEventListener('input', () => {
    number.value = number.value.toUpperCase();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const problems = [];
    const body = {
      prison_number: number.value.trim().toUpperCase(), name: name.value.trim(), pin: pin.value,
      clearance: clearance.value,
      flags: [...flags.querySelectorAll('input:checked')].map((i) => i.value),
    };
    if (!/^[A-Z][0-9]{4}[A-Z]{2}$/.test(body.prison_number)) problems.push({ field: 'prison_number', message: t('fielderror.prison_number') });
    if (!body.name) problems.push({ field: 'name', message: t('register.name.missing') });
    if (!/^[0-9]{4,8}$/.test(body.pin)) problems.push({ field: 'pin', message: t('fielderror.pin') });
    if (problems.length) {
      showErrors(form, top, problems);
      return;
    }
    submit.setAttribute('aria-disabled', 'true');
    try {
      const created = await api.createPrisoner(body);
      const p = created.prisoner || created;
      app.prisoners.set(p.id, p);
      app.go(`#/prisoners/${encodeURIComponent(p.id)}`);
      announce(t('register.done', { name: p.name }));
    } catch (err) {
      submit.removeAttribute('aria-disabled');
      showErrors(form, top, problemsOf(err));
    }
  });
  replace(host,
    breadcrumbs([[t('nav.prisoners'), '#/'], [t('register.title')]]),
    h('h1', { id: 'register-title', text: t('register.title') }),
    h('p', { text: t('register.intro') }),
    h('div', { class: 'panel' }, form));
  app.focusHeading();
}

/** The relationship a person's kind suggests. */
function relationshipFor(kind) {
  return RELATIONSHIPS.includes(kind) ? kind : 'OTHER';
}

function personMatches(p, q) {
  return (p.name || '').toLowerCase().includes(q.toLowerCase());
}

/** #/prisoners/{id}/add */
export async function addContactView(host, app, prisonerId) {
  const prisoner = await prisonerFor(app, prisonerId);
  if (!app.current()) return;
  const label = prisonerLabel(prisoner, prisonerId);
  app.title(t('add.title', { name: label }));
  const searchId = uid('who');
  const search = h('input', { type: 'search', id: searchId, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${searchId}-hint` });
  const resultsName = uid('person');
  const results = h('fieldset', { class: 'group', 'data-field': 'person_id', hidden: true },
    h('legend', { text: t('add.results') }), h('div', { class: 'choices stacked' }));
  const status = h('p', { class: 'meta', role: 'status' });
  const relationship = h('select', { 'data-field': 'relationship' },
    RELATIONSHIPS.map((r) => h('option', { value: r, text: tOr(`rel.${r}`, r) })));
  const reason = h('textarea', { rows: '2', 'data-field': 'reason' });
  const top = h('div');
  const submit = h('button', { type: 'submit', class: 'button-primary', text: t('add.submit') });
  let found = [];

  async function find() {
    const q = search.value.trim();
    if (q.length < 2) {
      results.hidden = true;
      status.textContent = t('add.type.more');
      return;
    }
    try {
      let page = await api.searchPeople(q);
      let got = itemsOf(page, 'people');
      // without server-side search every person comes back: keep the matches, read on a little
      for (let i = 0; i < 20 && got.some((p) => !personMatches(p, q)) && page.next_cursor; i += 1) {
        got = got.filter((p) => personMatches(p, q));
        page = await api.searchPeople(q, page.next_cursor);
        got = got.concat(itemsOf(page, 'people'));
      }
      found = got.filter((p) => personMatches(p, q) || (p.prison_number || '').includes(q.toUpperCase()));
    } catch (e) {
      found = [];
      status.textContent = t('add.search.failed');
      return;
    }
    const list = results.querySelector('.choices');
    replace(list, found.map((p) => {
      const id = uid('pick');
      const where = p.prisoner_id ? ` – ${t('add.in.prison', { where: p.establishment_name || p.prisoner_establishment || t('add.elsewhere') })}` : '';
      return h('div', { class: 'choice' },
        h('input', { type: 'radio', id, name: resultsName, value: p.id, dataset: { kind: p.kind || '' } }),
        h('label', { for: id, text: `${p.name} (${tOr(`rel.${p.kind}`, (p.kind || '').toLowerCase())})${where}` }));
    }));
    results.hidden = found.length === 0;
    status.textContent = found.length ? tc('add.found', found.length) : t('add.none', { q });
  }
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(find, 200);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer);
      find();
    }
  });
  results.addEventListener('change', (e) => {
    if (e.target.dataset.kind) relationship.value = relationshipFor(e.target.dataset.kind);
  });

  const form = h('form', { novalidate: true, 'aria-labelledby': 'add-title' },
    top,
    h('div', { class: 'field' },
      h('label', { for: searchId, text: t('add.find') }),
      h('p', { class: 'hint', id: `${searchId}-hint`, text: t('add.find.hint') }),
      search),
    status,
    results,
    field(t('policy.relationship'), relationship),
    field(t('add.reason'), reason, t('add.reason.hint')),
    h('p', { class: 'hint', text: t('add.pending') }),
    h('div', { class: 'button-row' }, submit, h('a', { href: `#/prisoners/${encodeURIComponent(prisonerId)}`, text: t('action.cancel') })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const picked = results.querySelector('input:checked');
    if (!picked) {
      showErrors(form, top, [{ field: results.hidden ? null : 'person_id', message: t('add.pick.missing') }]);
      if (results.hidden) search.focus();
      return;
    }
    submit.setAttribute('aria-disabled', 'true');
    try {
      const body = { prisoner_id: prisoner ? prisoner.id : prisonerId, person_id: picked.value, relationship: relationship.value };
      if (reason.value.trim()) body.reason = reason.value.trim();
      const c = await api.proposeContact(body);
      app.go(`#/contacts/${encodeURIComponent(c.id)}`);
      announce(t('add.done'));
    } catch (err) {
      submit.removeAttribute('aria-disabled');
      showErrors(form, top, problemsOf(err));
    }
  });
  replace(host,
    breadcrumbs([[t('nav.prisoners'), '#/'], [label, `#/prisoners/${encodeURIComponent(prisonerId)}`], [t('add.title.short')]]),
    h('h1', { id: 'add-title', text: t('add.title', { name: label }) }),
    h('div', { class: 'panel' }, form));
  app.focusHeading();
  focusStatic(host.querySelector('h1'));
}
